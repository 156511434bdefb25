// Is the simulated tenant as strict as Graph on the request collections (PIM for roles, PIM for
// Groups, access package assignment requests)? What the pages state:
// - https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0
//   and https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-cancel?view=graph-rest-1.0:
//   "Don't supply a request body for this method." (as the access package cancel in v1.0, which
//   the tenant already refuses with a body).
// - https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0:
//   state "Supports $filter (eq)": a `ne` on it is not supported; entitlement management refuses an
//   unsupported filter with 400 InvalidFilter
//   (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8922).

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { errorOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const ROLE = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const ACCESS = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';

describe('simulated tenant is as strict as Graph on the request collections', () => {
  const session = tenantSession();
  const { call } = session;
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  beforeEach(() => {
    ({ seed, tenant } = session);
  });

  it('refuses a body on the PIM role cancel (400) and leaves the request as it was', () => {
    const id = seed.examples.roleRequestId;
    const r = call('POST', `${ROLE}/${id}/cancel`, { justification: 'no longer needed' });
    assert.equal(r.status, 400, r.body);
    assert.equal(errorOf(r).code, 'BadRequest');
    assert.equal(tenant.getRoleRequest(id)?.status, 'PendingApproval');
    assert.equal(call('POST', `${ROLE}/${id}/cancel`).status, 204, 'without a body it cancels');
  });

  it('refuses a body on the PIM for Groups cancel (400) and leaves the request as it was', () => {
    const id = seed.examples.groupRequestId;
    const before = tenant.getGroupRequest(id)?.status;
    const r = call('POST', `${GROUP}/${id}/cancel`, { reason: 'x' });
    assert.equal(r.status, 400, r.body);
    assert.equal(tenant.getGroupRequest(id)?.status, before);
    assert.equal(call('POST', `${GROUP}/${id}/cancel`).status, 204, 'without a body it cancels');
  });

  it('takes `state eq` on access package requests and refuses `state ne` (state supports only eq)', () => {
    const mine = `${ACCESS}/filterByCurrentUser(on='target')`;
    const eq = call('GET', `${mine}?$filter=${encodeURIComponent("state eq 'pendingApproval'")}`);
    assert.equal(eq.status, 200, eq.body);
    const ne = call('GET', `${mine}?$filter=${encodeURIComponent("state ne 'pendingApproval'")}`);
    assert.equal(ne.status, 400, ne.body);
    assert.equal(errorOf(ne).code, 'InvalidFilter');
  });
});
