// A part of a list Graph refused (403) names the delegated permission its read needs, as every
// 403 the bot explains does (contract §6: "the least-privileged delegated permission and the Entra
// role the operation needs"); "whether the app's delegated permissions were granted" alone leaves
// the administrator to guess which. The permissions are those of each read's page:
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
//   (EntitlementManagement.Read.All, for on='approver' and on='target' alike)
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
//   (RoleAssignmentSchedule.ReadWrite.Directory)
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
//   (PrivilegedAssignmentSchedule.Read.AzureADGroup)
// "My approvals" also reads each PIM kind's eligibility requests (extensions and renewals), whose
// approver filter has its own permission; a refusal of that read names it, not the assignments':
// https://learn.microsoft.com/en-us/graph/api/unifiedroleeligibilityschedulerequest-filterbycurrentuser?view=graph-rest-1.0
//   (RoleEligibilitySchedule.ReadWrite.Directory)
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupeligibilityschedulerequest-filterbycurrentuser?view=graph-rest-1.0
//   (PrivilegedEligibilitySchedule.Read.AzureADGroup)

import { strict as assert } from 'node:assert';
import { explainShort } from '../../src/bot/listWords';
import { NotPermittedError } from '../../src/domain/errors';
import { MyWorkReader, ListReads } from '../../src/graph/myWorkReader';

describe('list words: a part Graph refused names the permission its read needs', () => {
  const refused = new NotPermittedError('Insufficient privileges to complete the operation.');
  const cases = [
    ['approvals', 'access', 'EntitlementManagement.Read.All'],
    ['approvals', 'role', 'RoleAssignmentSchedule.ReadWrite.Directory'],
    ['approvals', 'group', 'PrivilegedAssignmentSchedule.Read.AzureADGroup'],
    ['requests', 'role', 'RoleAssignmentSchedule.ReadWrite.Directory'],
    ['requests', 'group', 'PrivilegedAssignmentSchedule.Read.AzureADGroup'],
  ] as const;
  for (const [list, kind, permission] of cases) {
    it(`${list}, ${kind}: ${permission}`, () => {
      const said = explainShort(list, kind, refused);
      assert.match(said, /could not be listed: not permitted/, said);
      assert.ok(said.includes(permission), said);
    });
  }

  const eligibility = [
    ['role', 'RoleEligibilitySchedule.ReadWrite.Directory', 'RoleAssignmentSchedule.ReadWrite.Directory'],
    ['group', 'PrivilegedEligibilitySchedule.Read.AzureADGroup', 'PrivilegedAssignmentSchedule.Read.AzureADGroup'],
  ] as const;
  for (const [kind, permission, assignments] of eligibility) {
    it(`approvals, ${kind}, its eligibility read refused: ${permission}, not ${assignments}`, () => {
      const said = explainShort('approvals', kind, refused, [`${kind}.eligibility`]);
      assert.ok(said.includes(permission), said);
      assert.ok(!said.includes(assignments), said);
      const both = explainShort('approvals', kind, refused, [kind, `${kind}.eligibility`]);
      assert.ok(both.includes(`permissions ${assignments} and ${permission},`), both);
    });
  }

  it("the list's reader says which read Graph refused: the eligibility one's permission is named", async () => {
    // A token that holds the eligibility read's permission, so that read goes (graph/myWorkSources.ts).
    const claims = { scp: 'RoleAssignmentSchedule.ReadWrite.Directory RoleEligibilitySchedule.ReadWrite.Directory' };
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${part({ alg: 'none' })}.${part(claims)}.x`;
    const graph = {
      endpoint: 'https://graph.microsoft.com',
      async batchGet(_op: unknown, _v: unknown, requests: ReadonlyArray<{ id: string }>) {
        const forbidden = {
          status: 403,
          body: { error: { code: 'Forbidden', message: 'Insufficient privileges to complete the operation.' } },
          headers: {},
        };
        const ok = { status: 200, body: { value: [] }, headers: {} };
        return new Map(requests.map((r) => [r.id, r.id === 'role.eligibility' ? forbidden : ok]));
      },
    } as unknown as ListReads;
    const got = await new MyWorkReader(graph).fetch('approvals', async () => token);
    assert.deepEqual(
      got.failed.map((f) => [f.kind, f.error.code]),
      [['role', 'NOT_PERMITTED']],
    );
    const said = got.failed.map((f) => explainShort('approvals', f.kind, f.error, f.reads)).join(' ');
    assert.ok(said.includes('RoleEligibilitySchedule.ReadWrite.Directory'), said);
    assert.ok(!said.includes('RoleAssignmentSchedule.ReadWrite.Directory'), said);
  });
});
