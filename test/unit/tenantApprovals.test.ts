// The simulated tenant's approvals: stages with several approvers, multi-stage requests, expiry,
// 409 for the approver who comes second, 403 for a non-approver, beta-only role approvals, the
// approver filters (with PIM's cap) and JSON batching.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { APPROVER_FILTER_CAP, EM_PAGE_SIZE } from '../../src/sandbox/graph/approvals';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const GROUP_APPROVALS = '/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals';
const EM_APPROVALS = '/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals';
const ROLE_REQ = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const EM_REQ = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';

interface StageJson {
  id: string;
  status: string;
  reviewResult: string;
  assignedToMe: boolean;
  reviewedBy: unknown;
  justification: string;
}

describe('simulated tenant: approvals', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let now: number;
  const tokens = new Map<string, string>();
  const as = (name: string): string => {
    const t = tokens.get(name) ?? graphTokenFor(tenant, seed, name);
    tokens.set(name, t);
    return t;
  };
  const get = (name: string, url: string) => call(tenant, 'GET', url, { bearer: as(name) });
  const patch = (name: string, url: string, body: unknown) => call(tenant, 'PATCH', url, { bearer: as(name), body });
  const stagesOf = (name: string, url: string, field = 'stages'): StageJson[] =>
    jsonOf<Record<string, StageJson[]>>(get(name, url))[field] ?? [];

  beforeEach(() => {
    seed = loadDemoSeed();
    now = Date.parse('2026-03-02T09:00:00Z');
    tenant = new SimulatedTenant(seed, { now: () => now });
    tokens.clear();
  });

  // A list page shows the newest requests first; requests seeded at the same instant would leave
  // which of them make the first page to the millisecond the seed happened to be loaded in.
  it('the seed’s requests waiting for approval were each made at a different time', () => {
    const pending = (r: { status?: string; state?: string }) => /^pending/i.test(r.state ?? r.status ?? '');
    const created = [
      ...seed.roleRequests.filter(pending).map((r) => tenant.getRoleRequest(r.id)),
      ...seed.groupRequests.filter(pending).map((r) => tenant.getGroupRequest(r.id)),
      ...seed.accessRequests.filter(pending).map((r) => tenant.getAccessRequest(r.id)),
    ].map((item) => String(item?.createdDateTime));
    assert.ok(created.length >= 15, `${created.length} pending requests`);
    assert.equal(new Set(created).size, created.length, created.sort().join(' '));
  });

  // https://learn.microsoft.com/en-us/graph/api/approval-filterbycurrentuser?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
  it('Megan Bowen has approvals waiting of each kind; Adele Vance has none', () => {
    const ex = seed.examples;
    const ids = (r: ReturnType<typeof get>) => jsonOf<{ value: Array<{ id: string }> }>(r).value.map((v) => v.id);
    assert.ok(
      ids(get('Megan Bowen', `${ROLE_APPROVALS}/filterByCurrentUser(on='approver')`)).includes(ex.roleApprovalId),
    );
    assert.ok(
      ids(get('Megan Bowen', `${GROUP_APPROVALS}/filterByCurrentUser(on='approver')`)).includes(ex.groupApprovalId),
    );
    assert.ok(
      ids(get('Megan Bowen', `${EM_APPROVALS}/filterByCurrentUser(on='approver')`)).includes(ex.accessApprovalId),
    );
    assert.ok(ids(get('Megan Bowen', `${ROLE_REQ}/filterByCurrentUser(on='approver')`)).includes(ex.roleApprovalId));
    assert.ok(ids(get('Lynne Robbins', `${EM_REQ}/filterByCurrentUser(on='approver')`)).includes(ex.accessApprovalId));
    assert.equal(get('Megan Bowen', `${EM_APPROVALS}/filterByCurrentUser(on='target')`).status, 400);
    // Adele holds only the subject permission: the approver filter needs EntitlementManagement.ReadWrite.All.
    assert.equal(get('Adele Vance', `${EM_APPROVALS}/filterByCurrentUser(on='approver')`).status, 403);
  });

  // https://learn.microsoft.com/en-us/graph/api/resources/approval?view=graph-rest-beta (steps) and
  // https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta: role approvals are beta only.
  it('role approvals exist in beta only, with steps; v1.0 has no such path', () => {
    const id = seed.examples.roleApprovalId;
    const steps = stagesOf('Megan Bowen', `${ROLE_APPROVALS}/${id}`, 'steps');
    assert.equal(steps.length, 1);
    assert.deepEqual(
      [steps[0]!.status, steps[0]!.reviewResult, steps[0]!.assignedToMe],
      ['InProgress', 'NotReviewed', true],
    );
    assert.equal(get('Megan Bowen', `/v1.0/roleManagement/directory/roleAssignmentApprovals/${id}`).status, 400);
    // v1.0 names them stages, beta steps.
    assert.equal(get('Megan Bowen', `${GROUP_APPROVALS}/${seed.examples.groupApprovalId}/steps`).status, 400);
    assert.equal(get('Megan Bowen', `${GROUP_APPROVALS}/${seed.examples.groupApprovalId}/stages`).status, 200);
  });

  // https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0: 204; "If the request
  // has already been approved by another approver in the same approval stage, the method returns 409 Conflict".
  it('two approvers of one stage: the first decides (204), the second meets 409; the request is settled', () => {
    const id = seed.examples.roleApprovalId;
    const step = stagesOf('Megan Bowen', `${ROLE_APPROVALS}/${id}`, 'steps')[0]!;
    const url = `${ROLE_APPROVALS}/${id}/steps/${step.id}`;
    assert.equal(patch('Lynne Robbins', url, { reviewResult: 'Approve', justification: 'Looks right' }).status, 204);
    const second = patch('Megan Bowen', url, { reviewResult: 'Deny', justification: 'No' });
    assert.equal(second.status, 409);
    const after = stagesOf('Megan Bowen', `${ROLE_APPROVALS}/${id}`, 'steps')[0]!;
    assert.deepEqual([after.status, after.reviewResult, after.justification], ['Completed', 'Approved', 'Looks right']);
    assert.deepEqual(after.reviewedBy, [
      { id: 'a1b2c3d4-6666-4aaa-8bbb-0000000000a6', displayName: 'Lynne Robbins', userPrincipalName: null },
    ]);
    assert.equal(tenant.getRoleRequest(id)?.status, 'Provisioned');
  });

  it('a non-approver gets 403 on reading and deciding; the stage stays open for the approvers', () => {
    const id = seed.examples.accessApprovalId;
    const stage = stagesOf('Megan Bowen', `${EM_APPROVALS}/${id}`)[0]!;
    assert.equal(get('Diego Siciliani', `${EM_APPROVALS}/${id}`).status, 403);
    const refused = patch('Diego Siciliani', `${EM_APPROVALS}/${id}/stages/${stage.id}`, { reviewResult: 'Approve' });
    assert.equal(refused.status, 403);
    assert.equal(errorOf(refused).code, 'Authorization_RequestDenied');
    assert.equal(stagesOf('Megan Bowen', `${EM_APPROVALS}/${id}`)[0]!.status, 'InProgress');
  });

  it('a multi-stage request moves to its next stage, and settles at the last', () => {
    const id = seed.examples.accessApprovalId;
    const [first, second] = stagesOf('Megan Bowen', `${EM_APPROVALS}/${id}`);
    assert.equal(
      patch('Megan Bowen', `${EM_APPROVALS}/${id}/stages/${first!.id}`, { reviewResult: 'Approve' }).status,
      204,
    );
    assert.equal(tenant.getAccessRequest(id)?.state, 'pendingApproval');
    const lynne = stagesOf('Lynne Robbins', `${EM_APPROVALS}/${id}`);
    assert.deepEqual(
      lynne.map((s) => [s.status, s.assignedToMe]),
      [
        ['Completed', true],
        ['InProgress', true],
      ],
    );
    // Megan is no approver of the second stage.
    assert.equal(
      patch('Megan Bowen', `${EM_APPROVALS}/${id}/stages/${second!.id}`, { reviewResult: 'Approve' }).status,
      403,
    );
    assert.equal(
      patch('Lynne Robbins', `${EM_APPROVALS}/${id}/stages/${second!.id}`, { reviewResult: 'Approve' }).status,
      204,
    );
    assert.equal(tenant.getAccessRequest(id)?.state, 'delivered');
  });

  it('a denial settles the request at once; a bad reviewResult or an overlong justification is a 400', () => {
    const id = seed.examples.groupApprovalId;
    const stage = stagesOf('Megan Bowen', `${GROUP_APPROVALS}/${id}`)[0]!;
    const url = `${GROUP_APPROVALS}/${id}/stages/${stage.id}`;
    assert.equal(patch('Megan Bowen', url, { reviewResult: 'Maybe' }).status, 400);
    assert.equal(patch('Megan Bowen', url, { reviewResult: 'Deny', justification: 'x'.repeat(501) }).status, 400);
    assert.equal(patch('Megan Bowen', url, { reviewResult: 'Deny', justification: 'Not this week' }).status, 204);
    assert.equal(tenant.getGroupRequest(id)?.status, 'Denied');
  });

  // https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow:
  // "Delegated approvers have 24 hours to approve requests."
  it('a PIM approval expires after 24 hours: the stage is Expired and can no longer be decided', () => {
    const id = seed.examples.roleApprovalId;
    const step = stagesOf('Megan Bowen', `${ROLE_APPROVALS}/${id}`, 'steps')[0]!;
    now += 24 * 3600_000;
    tokens.clear(); // a day later the old access tokens have expired too
    assert.equal(stagesOf('Megan Bowen', `${ROLE_APPROVALS}/${id}`, 'steps')[0]!.status, 'Expired');
    assert.equal(
      patch('Megan Bowen', `${ROLE_APPROVALS}/${id}/steps/${step.id}`, { reviewResult: 'Approve' }).status,
      400,
    );
    const waiting = jsonOf<{ value: Array<{ id: string }> }>(
      get('Megan Bowen', `${ROLE_APPROVALS}/filterByCurrentUser(on='approver')`),
    );
    assert.ok(!waiting.value.some((v) => v.id === id));
  });

  it("PIM's approver filter stops at 50 with no nextLink; entitlement management pages with @odata.nextLink", () => {
    for (let i = 0; i < 60; i++) {
      const n = (0x100 + i).toString(16);
      tenant.addRoleRequest({
        id: `95c690fb-3eb3-4942-a03f-4524aed6f${n}`,
        status: 'PendingApproval',
        roleName: 'Reports Reader',
        principal: 'Adele Vance',
        justification: 'Bulk',
        duration: 'PT1H',
        approvers: ['Megan Bowen'],
      });
      tenant.addAccessRequest({
        id: `7999249e-249e-7999-9e24-99799e249${n}`,
        state: 'pendingApproval',
        status: 'PendingApproval',
        accessPackageName: 'Finance reports',
        requestor: 'Adele Vance',
        requestType: 'userAdd',
        approvers: ['Megan Bowen'],
      });
    }
    const roles = jsonOf<{ value: unknown[]; '@odata.nextLink'?: string }>(
      get('Megan Bowen', `${ROLE_REQ}/filterByCurrentUser(on='approver')`),
    );
    assert.equal(roles.value.length, APPROVER_FILTER_CAP);
    assert.equal(roles['@odata.nextLink'], undefined);
    let url: string | undefined = `${EM_REQ}/filterByCurrentUser(on='approver')?$expand=accessPackage`;
    let total = 0;
    let pages = 0;
    while (url) {
      const page: { value: unknown[]; '@odata.nextLink'?: string } = jsonOf(get('Megan Bowen', url));
      assert.ok(page.value.length <= EM_PAGE_SIZE);
      total += page.value.length;
      pages++;
      url = page['@odata.nextLink']?.replace(/^https:\/\/[^/]+/, '');
    }
    assert.ok(pages > 1);
    assert.equal(
      total,
      60 +
        seed.accessRequests.filter(
          (r) => r.state === 'pendingApproval' && (r.approvers ?? r.approvalStages?.[0] ?? []).includes('Megan Bowen'),
        ).length,
    );
  });

  // https://learn.microsoft.com/en-us/graph/json-batching: at most 20 requests, one 200 with every answer.
  it('$batch runs each request with the batch token and refuses more than 20', () => {
    const requests = [
      {
        id: '1',
        method: 'GET',
        url: `/roleManagement/directory/roleAssignmentApprovals/filterByCurrentUser(on='approver')`,
      },
      {
        id: '2',
        method: 'GET',
        url: `/roleManagement/directory/roleAssignmentApprovals/${seed.examples.roleApprovalId}`,
      },
    ];
    const r = call(tenant, 'POST', '/beta/$batch', { bearer: as('Megan Bowen'), body: { requests } });
    assert.equal(r.status, 200);
    const responses = jsonOf<{ responses: Array<{ id: string; status: number }> }>(r).responses;
    assert.deepEqual(responses.map((x) => [x.id, x.status]).sort(), [
      ['1', 200],
      ['2', 200],
    ]);
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: requests[0]!.url }));
    assert.equal(
      call(tenant, 'POST', '/beta/$batch', { bearer: as('Megan Bowen'), body: { requests: many } }).status,
      400,
    );
  });
});
