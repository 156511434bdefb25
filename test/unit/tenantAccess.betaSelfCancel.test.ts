// The beta cancel of an access package request: "For a non-administrator user to cancel their own
// request, the request must contain the id of the accessPackageAssignmentRequest and a
// requestStatus with a value of cancelled"
// (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-beta).
// v1.0 takes no body at all (the same page, v1.0 view): the bot sends v1.0.

import { strict as assert } from 'node:assert';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor } from '../fixtures/tenantClient';

const EM = '/identityGovernance/entitlementManagement';

describe('simulated tenant: a requester cancelling their own access package request in beta', () => {
  const seed = loadDemoSeed();
  const id = seed.examples.accessRequestId;
  let tenant: SimulatedTenant;
  beforeEach(() => {
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
  });
  const cancel = (version: 'v1.0' | 'beta', body?: unknown) =>
    call(tenant, 'POST', `/${version}${EM}/assignmentRequests/${id}/cancel`, {
      bearer: graphTokenFor(tenant, seed, 'Adele Vance'),
      ...(body === undefined ? {} : { body }),
    });

  it('without the id and requestStatus: 400, the request still pending', () => {
    for (const body of [
      undefined,
      { requestStatus: 'cancelled' },
      { id: seed.examples.roleRequestId, requestStatus: 'cancelled' },
    ]) {
      const r = cancel('beta', body);
      assert.equal(r.status, 400, r.body);
      assert.equal(errorOf(r).code, 'BadRequest');
    }
    assert.equal(tenant.getAccessRequest(id)?.state, 'pendingApproval');
  });

  it('with them: 200, canceled', () => {
    const r = cancel('beta', { id, requestStatus: 'cancelled' });
    assert.equal(r.status, 200, r.body);
    assert.equal(tenant.getAccessRequest(id)?.state, 'canceled');
  });

  // "In the request body, supply a JSON representation of an accessPackageAssignmentRequest
  // object" (the beta page above): JSON that is no object binds to no entity, and is refused
  // whoever sends it, an administrator who needs no id and requestStatus included.
  it('a body that is JSON but not an object: 400, for an administrator too, the request still pending', () => {
    const admin = graphTokenFor(tenant, seed, 'Megan Bowen');
    for (const body of ['null', '[]', '"cancelled"', '1', 'true']) {
      for (const bearer of [admin, graphTokenFor(tenant, seed, 'Adele Vance')]) {
        const r = call(tenant, 'POST', `/beta${EM}/assignmentRequests/${id}/cancel`, {
          bearer,
          body,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(r.status, 400, `${body}: ${r.body ?? ''}`);
        assert.equal(errorOf(r).code, 'BadRequest');
      }
    }
    assert.equal(tenant.getAccessRequest(id)?.state, 'pendingApproval');
  });

  it('v1.0, no body: 200, canceled', () => {
    assert.equal(cancel('v1.0').status, 200);
    assert.equal(tenant.getAccessRequest(id)?.state, 'canceled');
  });
});
