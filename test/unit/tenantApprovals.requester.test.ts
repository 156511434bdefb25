// Who asked, as PIM's approver filters answer it. Microsoft's examples of these requests show
// createdBy.user with its id and "displayName": null; the name is the principal's, read with
// $expand=principal (a relationship of both request types that "Supports $expand").
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_REQ = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP_REQ = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';

interface Row {
  id: string;
  createdBy?: { user?: { id?: string; displayName?: string | null } };
  principal?: { id?: string; displayName?: string };
}

describe('simulated tenant: the requester of a PIM request waiting for approval', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const rows = (url: string): Row[] =>
    jsonOf<{ value: Row[] }>(call(tenant, 'GET', url, { bearer: graphTokenFor(tenant, seed, 'Megan Bowen') })).value;

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
  });

  for (const [kind, base, id] of [
    ['role', ROLE_REQ, () => seed.examples.roleApprovalId],
    ['group', GROUP_REQ, () => seed.examples.groupApprovalId],
  ] as const) {
    it(`${kind}: createdBy.user carries the id only (displayName null), as Microsoft's examples show`, () => {
      const row = rows(`${base}/filterByCurrentUser(on='approver')`).find((r) => r.id === id());
      assert.ok(row, 'the request waits for Megan');
      assert.match(row.createdBy?.user?.id ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(row.createdBy?.user?.displayName, null);
      assert.equal(row.principal, undefined, 'not expanded unless asked');
    });

    it(`${kind}: $expand=principal names the requester`, () => {
      const row = rows(`${base}/filterByCurrentUser(on='approver')?$expand=principal`).find((r) => r.id === id());
      assert.ok(row?.principal?.displayName, JSON.stringify(row?.principal));
      assert.equal(row.principal.id, row.createdBy?.user?.id);
    });
  }
});
