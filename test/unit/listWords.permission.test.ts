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

import { strict as assert } from 'node:assert';
import { explainShort } from '../../src/bot/listWords';
import { NotPermittedError } from '../../src/domain/errors';

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
});
