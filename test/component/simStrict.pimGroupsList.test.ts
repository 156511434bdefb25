// Is the simulated tenant as strict as Graph about who may list PIM for Groups assignment schedule
// requests? The list page names the roles per kind of group:
// https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedulerequests
// ("For role-assignable groups: Global Reader or Privileged Role Administrator. For
// non-role-assignable groups: Global Reader, Directory Writer, Groups Administrator, Identity
// Governance Administrator, or User Administrator."). A Groups Administrator reads the requests
// of ordinary groups and not those of a role-assignable group, by id or in a list.

// The same pages' rbac include also lets in "the owner or member of the group" with the read
// permission and no role
// (https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedulerequests,
// https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-get:
// "The calling user must also be the owner or member of the group or be assigned one of the
// following Microsoft Entra roles"); and a group's kind is the group's, whether or not it has
// requests.

import { strict as assert } from 'node:assert';
import { DemoSeed, DemoUser, SeedGroup, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const REQUESTS = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const SCOPES = ['User.Read', 'PrivilegedAssignmentSchedule.Read.AzureADGroup'];

describe('simulated tenant lists PIM for Groups requests only to a caller who may read them', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;

  /** A tenant with one more user holding `role` and the read permission, and that user's token. */
  const withReader = (role: string): string => {
    seed = loadDemoSeed();
    (seed.users as DemoUser[]).push({
      id: 'a1b2c3d4-9999-4aaa-8bbb-0000000000a9',
      displayName: 'Gia Groups',
      userPrincipalName: 'gia@contoso.test',
      scopes: SCOPES,
      roles: [role],
    });
    tenant = new SimulatedTenant(seed);
    return graphTokenFor(tenant, seed, 'Gia Groups');
  };
  const rows = () =>
    seed.groupRequests.filter((r) => r.schedule !== 'eligibility').map((r) => tenant.getGroupRequest(r.id)!);
  const roleAssignable = () => rows().find((r) => r.isRoleAssignable === true)!;
  const ordinary = () => rows().find((r) => r.isRoleAssignable !== true)!;
  const list = (token: string, filter: string) =>
    call(tenant, 'GET', `${REQUESTS}?$filter=${encodeURIComponent(filter)}`, { bearer: token });
  const ids = (r: ReturnType<typeof list>) => jsonOf<{ value: Array<{ id: string }> }>(r).value.map((x) => x.id);

  /** A tenant with `groups` added to the seed, and one more user with the read permission and no role. */
  const withGroups = (groups: SeedGroup[], roles: string[] = []): string => {
    seed = loadDemoSeed();
    (seed.groups as SeedGroup[]).push(...groups);
    (seed.users as DemoUser[]).push({
      id: GIA,
      displayName: 'Gia Groups',
      userPrincipalName: 'gia@contoso.test',
      scopes: SCOPES,
      roles,
    });
    tenant = new SimulatedTenant(seed);
    return graphTokenFor(tenant, seed, 'Gia Groups');
  };
  const GIA = 'a1b2c3d4-9999-4aaa-8bbb-0000000000a9';
  const group = (displayName: string, more: Partial<SeedGroup>): SeedGroup => ({
    id: 'b7e1c2d3-0000-4aaa-8bbb-00000000c0' + (displayName.length % 100).toString().padStart(2, '0'),
    displayName,
    members: [],
    ...more,
  });

  for (const [how, more] of [
    ['an owner', { owners: [GIA] }],
    ['a member', { members: [GIA] }],
  ] as const) {
    it(`lets ${how} of the group with the read permission and no role read its requests`, () => {
      const name = loadDemoSeed().groupRequests.find((r) => r.schedule !== 'eligibility')!.groupName;
      const token = withGroups([group(name, more)]);
      const row = rows().find(
        (r) => r.nav && (r.nav as { group: { displayName: string } }).group.displayName === name,
      )!;
      const byId = call(tenant, 'GET', `${REQUESTS}/${String(row.id)}`, { bearer: token });
      assert.equal(byId.status, 200, byId.body);
      const r = list(token, `groupId eq '${String(row.groupId)}'`);
      assert.equal(r.status, 200, r.body);
      assert.ok(ids(r).includes(String(row.id)));
      const mine = list(token, `principalId eq '${String(row.principalId)}'`);
      assert.equal(mine.status, 200, mine.body);
      assert.ok(ids(mine).includes(String(row.id)));
      // Of another group, with no role: still refused.
      const other = rows().find((x) => String(x.groupId) !== String(row.groupId))!;
      assert.equal(call(tenant, 'GET', `${REQUESTS}/${String(other.id)}`, { bearer: token }).status, 403);
      assert.equal(list(token, `groupId eq '${String(other.groupId)}'`).status, 403);
    });
  }

  it('refuses a Groups Administrator the list of a role-assignable group that has no requests', () => {
    const breakGlass = group('Break glass', { isRoleAssignable: true });
    const token = withGroups([breakGlass], ['Groups Administrator']);
    const r = list(token, `groupId eq '${breakGlass.id}'`);
    assert.equal(r.status, 403, r.body);
    assert.equal(errorOf(r).code, 'Authorization_RequestDenied');
  });

  it('refuses a Groups Administrator the list of a role-assignable group, as it refuses the get (403)', () => {
    const token = withReader('Groups Administrator');
    const tier0 = roleAssignable();
    const byId = call(tenant, 'GET', `${REQUESTS}/${String(tier0.id)}`, { bearer: token });
    assert.equal(byId.status, 403, byId.body);
    const r = list(token, `groupId eq '${String(tier0.groupId)}'`);
    assert.equal(r.status, 403, r.body);
    assert.equal(errorOf(r).code, 'Authorization_RequestDenied');
  });

  it("leaves a role-assignable group's requests out of a Groups Administrator's list by principal", () => {
    const token = withReader('Groups Administrator');
    const tier0 = roleAssignable();
    const r = list(token, `principalId eq '${String(tier0.principalId)}'`);
    assert.equal(r.status, 200, r.body);
    assert.ok(!ids(r).includes(String(tier0.id)), 'a row of a role-assignable group is listed');
  });

  it('still lists an ordinary group to a Groups Administrator, and a role-assignable one to a Global Reader', () => {
    const token = withReader('Groups Administrator');
    const plain = ordinary();
    const r = list(token, `groupId eq '${String(plain.groupId)}'`);
    assert.equal(r.status, 200, r.body);
    assert.ok(ids(r).includes(String(plain.id)));
    const reader = withReader('Global Reader');
    const tier0 = roleAssignable();
    const all = list(reader, `principalId eq '${String(tier0.principalId)}'`);
    assert.equal(all.status, 200, all.body);
    assert.ok(ids(all).includes(String(tier0.id)));
  });
});
