// Does the simulated tenant offer a call only in the clouds (and versions) Microsoft's page lists?
// The access package request cancel: v1.0 in all four clouds
// (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0),
// beta in the global service and China only, not US Government L4 or L5
// (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-beta;
// graph-reference §4, §9). A call a cloud does not offer is answered as a path Graph does not
// know there: 400 BadRequest, and nothing changes.

import { strict as assert } from 'node:assert';
import type { CloudName } from '../../src/sandbox/graph/items';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor } from '../fixtures/tenantClient';

const EM = 'identityGovernance/entitlementManagement';

describe('simulated tenant offers the access package cancel where its pages say', () => {
  let seed: DemoSeed;
  beforeEach(() => {
    seed = loadDemoSeed();
  });

  const cancelIn = (cloud: CloudName, path: string) => {
    const tenant = new SimulatedTenant(seed, { cloud });
    const id = seed.examples.accessRequestId;
    const r = call(tenant, 'POST', path.replace('{id}', id), { bearer: graphTokenFor(tenant, seed, 'Megan Bowen') });
    return { r, state: tenant.getAccessRequest(id)?.state };
  };

  for (const cloud of ['usgov', 'usgovdod'] as const) {
    it(`${cloud}: v1.0 cancels; beta (either path) is not offered`, () => {
      for (const path of [
        `/beta/${EM}/assignmentRequests/{id}/cancel`,
        `/beta/${EM}/accessPackageAssignmentRequests/{id}/cancel`,
      ]) {
        const { r, state } = cancelIn(cloud, path);
        assert.equal(r.status, 400, `${path}: ${r.body ?? ''}`);
        assert.equal(errorOf(r).code, 'BadRequest');
        assert.equal(state, 'pendingApproval', 'nothing changed');
      }
      const { r, state } = cancelIn(cloud, `/v1.0/${EM}/assignmentRequests/{id}/cancel`);
      assert.equal(r.status, 200, r.body);
      assert.equal(state, 'canceled');
    });
  }

  for (const cloud of ['global', 'china'] as const) {
    it(`${cloud}: beta cancels too`, () => {
      const { r, state } = cancelIn(cloud, `/beta/${EM}/assignmentRequests/{id}/cancel`);
      assert.equal(r.status, 200, r.body);
      assert.equal(state, 'canceled');
    });
  }
});
