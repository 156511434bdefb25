// The simulated tenant enforces, per call, the delegated permission AND the signed-in user's role,
// with the self-service exceptions the pages document, and refuses as Graph does: the lists of
// the signed-in user's own requests and approvals (filterByCurrentUser) and the PIM for Groups list.

import { strict as assert } from 'node:assert';
import { errorOf } from '../fixtures/tenantClient';
import { EM_REQ, GROUP_REQ, ROLE_REQ, accessMatrixSession, person } from '../fixtures/accessMatrix';

describe('simulated tenant: permission and role per call, the current user’s lists', () => {
  const m = accessMatrixSession();

  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
  // (on: principal, createdBy, approver, unknownFutureValue; only principal and approver
  // supported). Its note asks the signed-in user for a PIM read role (Global Reader, Security
  // Operator, Security Reader, Security Administrator or Privileged Role Administrator) and names
  // no exemption for one's own requests: the default. The PIM overview's "A principal queries their
  // role assignments" scenario names roles only for admin actions, silent on user actions
  // (https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0):
  // the alternative pimRoleMineRole=none.
  it("PIM role filterByCurrentUser asks a PIM read role by default, with or without $filter, on='principal' or 'approver'", () => {
    for (const on of ['principal', 'approver']) {
      const refused = m.get('Diego Siciliani', `${ROLE_REQ}/filterByCurrentUser(on='${on}')`);
      assert.equal(refused.status, 403, refused.body);
      assert.equal(errorOf(refused).code, 'Authorization_RequestDenied');
      assert.equal(m.get('Nestor Wilke', `${ROLE_REQ}/filterByCurrentUser(on='${on}')`).status, 200, 'Global Reader');
      assert.equal(m.get('Megan Bowen', `${ROLE_REQ}/filterByCurrentUser(on='${on}')`).status, 200);
    }
    // The permission table lists RoleAssignmentSchedule.ReadWrite.Directory and, higher,
    // RoleManagement.ReadWrite.Directory only: a token with RoleManagement.Read.Directory alone is
    // refused, with PIM's 403 for a missing scope (graph-reference §10.2: UnknownError whose
    // message is a JSON string with errorCode PermissionScopeNotGranted), on='approver' as 'principal'.
    const reader = person(6, 'Pradeep Gupta', ['RoleManagement.Read.Directory'], ['Security Reader']);
    m.reseed([reader]);
    for (const on of ['principal', 'approver']) {
      const refused = m.get('Pradeep Gupta', `${ROLE_REQ}/filterByCurrentUser(on='${on}')`);
      assert.equal(refused.status, 403, refused.body);
      assert.equal(errorOf(refused).code, 'UnknownError');
      const inner = JSON.parse(errorOf(refused).message) as { errorCode: string; message: string };
      assert.equal(inner.errorCode, 'PermissionScopeNotGranted');
      assert.match(inner.message, /RoleAssignmentSchedule\.ReadWrite\.Directory/);
    }
  });

  it("PIM role filterByCurrentUser(on='principal'): the caller's requests, narrowed by $filter id eq (pimRoleMineRole=none)", () => {
    m.tenant.setUnconfirmed({ pimRoleMineRole: 'none' });
    const s = m.self;
    const mine = m.get('Diego Siciliani', `${ROLE_REQ}/filterByCurrentUser(on='principal')`);
    assert.equal(mine.status, 200, mine.body);
    const ids = (JSON.parse(mine.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id);
    assert.deepEqual(ids.sort(), [...s.roleRequestIds].sort());
    const one = m.get(
      'Diego Siciliani',
      `${ROLE_REQ}/filterByCurrentUser(on=%27principal%27)?$filter=${encodeURIComponent(`id eq '${s.roleRequestIds[1]}'`)}`,
    );
    const value = (JSON.parse(one.body ?? '{}') as { value: Array<{ id: string; status: string }> }).value;
    assert.deepEqual(
      value.map((v) => [v.id, v.status]),
      [[s.roleRequestIds[1], 'PendingApproval']],
    );
    const approver = m.get('Megan Bowen', `${ROLE_REQ}/filterByCurrentUser(on='approver')`);
    const approvals = (JSON.parse(approver.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id);
    assert.ok(s.roleRequestIds.every((id) => approvals.includes(id)));
    assert.equal(m.get('Diego Siciliani', `${ROLE_REQ}/filterByCurrentUser(on='createdBy')`).status, 400);
    assert.equal(errorOf(m.get('Adele Vance', `${ROLE_REQ}/filterByCurrentUser(on='principal')`)).code, 'UnknownError');
  });

  // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroup-list-assignmentschedulerequests?view=graph-rest-1.0
  it('PIM group: filterByCurrentUser for the requester; the list requires $filter on groupId or principalId', () => {
    const s = m.self;
    const mine = m.get(
      'Diego Siciliani',
      `${GROUP_REQ}/filterByCurrentUser(on='principal')?$filter=${encodeURIComponent(`id eq '${s.groupRequestIds[0]}'`)}`,
    );
    assert.deepEqual(
      (JSON.parse(mine.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id),
      [s.groupRequestIds[0]],
    );
    assert.equal(m.get('Megan Bowen', GROUP_REQ).status, 400);
    const diegoId = s.requesterId;
    const listed = m.get('Megan Bowen', `${GROUP_REQ}?$filter=${encodeURIComponent(`principalId eq '${diegoId}'`)}`);
    assert.equal((JSON.parse(listed.body ?? '{}') as { value: unknown[] }).value.length, 2);
  });

  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
  // The request's id is not filterable (its resource page lists $filter on state and
  // createdDateTime only): `id eq` is refused with InvalidFilter (simStrict.filters).
  it("EM filterByCurrentUser(on='target') with the subject permission; on='approver' for approvers", () => {
    const byId = m.get(
      'Adele Vance',
      `${EM_REQ}/filterByCurrentUser(on='target')?$filter=${encodeURIComponent(`id eq '${m.seed.examples.accessRequestId}'`)}`,
    );
    assert.equal(errorOf(byId).code, 'InvalidFilter');
    const all = m.get('Adele Vance', `${EM_REQ}/filterByCurrentUser(on='target')`);
    assert.equal(all.status, 200, all.body);
    const hers = (JSON.parse(all.body ?? '{}') as { value: Array<{ id: string; state: string }> }).value;
    assert.equal(hers.length, 2, 'both of hers, no others');
    assert.deepEqual(
      hers.filter((v) => v.id === m.seed.examples.accessRequestId).map((v) => v.state),
      ['pendingApproval'],
    );
    const approvals = m.get('Megan Bowen', `${EM_REQ}/filterByCurrentUser(on='approver')`);
    const ids = (JSON.parse(approvals.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id);
    assert.ok(ids.includes(m.self.accessRequestIds[0]!));
    assert.ok(!ids.includes(m.self.accessRequestIds[1]!), 'a submitted request awaits no approver');
    assert.equal(m.get('Adele Vance', `${EM_REQ}/filterByCurrentUser(on='somebody')`).status, 400);
    assert.equal(m.get('Adele Vance', `${EM_REQ}/filterByCurrentUser(on='target')?$filter=nonsense`).status, 400);
  });
});
