// The simulated tenant asks each approval read and write for the permission its page names, no more
// and no less: an approver whose token holds only EntitlementManagement.Read.All may list the access
// package requests waiting for them and read an approval, but neither list the approvals themselves
// nor decide one.
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
//   (least EntitlementManagement.Read.All, higher EntitlementManagement.ReadWrite.All)
// https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0 (EntitlementManagement.Read.All)
// https://learn.microsoft.com/en-us/graph/api/approval-filterbycurrentuser?view=graph-rest-1.0 (EntitlementManagement.ReadWrite.All)
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0 (EntitlementManagement.ReadWrite.All)

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const EM = '/v1.0/identityGovernance/entitlementManagement';
const REQUEST = '7999249e-249e-7999-9e24-9979900e0001';
const READER = 'Irvin Sayers';

describe('simulated tenant: approval permissions per page', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let token: string;
  beforeEach(() => {
    const demo = loadDemoSeed();
    const reader = {
      id: 'b0000000-0000-4000-8000-000000000001',
      displayName: READER,
      userPrincipalName: 'irvin@contoso.example',
      scopes: ['EntitlementManagement.Read.All'],
      roles: [],
    };
    seed = { ...demo, users: [...demo.users, reader] };
    tenant = new SimulatedTenant(seed);
    tenant.addAccessRequest({
      id: REQUEST,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Finance reports',
      requestor: 'Patti Fernandez',
      requestType: 'userAdd',
      approvalStages: [[READER]],
    });
    token = graphTokenFor(tenant, seed, READER);
  });
  const get = (url: string) => call(tenant, 'GET', url, { bearer: token });

  it('lists the requests waiting for the approver with EntitlementManagement.Read.All', () => {
    const r = get(`${EM}/assignmentRequests/filterByCurrentUser(on='approver')`);
    assert.equal(r.status, 200, r.body);
    const ids = jsonOf<{ value: Array<{ id: string }> }>(r).value.map((v) => v.id);
    assert.deepEqual(ids, [REQUEST]);
  });

  it('reads the approval with Read.All, but lists approvals and decides only with ReadWrite.All', () => {
    assert.equal(get(`${EM}/accessPackageAssignmentApprovals/${REQUEST}`).status, 200);
    assert.equal(get(`${EM}/accessPackageAssignmentApprovals/filterByCurrentUser(on='approver')`).status, 403);
    const stage = tenant.getApproval(REQUEST)!.stages[0]!.id;
    const body = { reviewResult: 'Approve' };
    const r = call(tenant, 'PATCH', `${EM}/accessPackageAssignmentApprovals/${REQUEST}/stages/${stage}`, {
      bearer: token,
      body,
    });
    assert.equal(r.status, 403);
  });
});
