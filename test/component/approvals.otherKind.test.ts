// approve/deny typed with a GUID that names another kind of item: the approval of a PIM for Groups
// request typed as a role request, an access package request typed as a group request, a role
// request's id typed as an access package's. Graph answers 404 for an approval id it does not have
// under that path (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0:
// "if the approval ID isn't found, the method returns 404 Not found"); nothing may be decided.

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

describe('approvals through the bot: an id of another kind', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig));

  const cases = [
    ['approve role-request', () => r.seed.examples.groupApprovalId],
    ['deny group-request', () => r.seed.examples.accessApprovalId],
    ['approve access-request', () => r.seed.examples.roleApprovalId],
  ] as const;
  for (const [command, id] of cases) {
    it(`${command} with another kind's id: not found, nothing PATCHed, every request still pending`, async () => {
      const { sent } = await r.message(r.user(0), `${command} ${id()} Reason given`);
      assert.match(text(sent), /Microsoft Graph has no [a-z ]+ approval with this id,/, text(sent).slice(0, 600));
      assert.doesNotMatch(text(sent), /Approved your|Denied your/);
      assert.equal(r.tenant.graphRequests().filter((q) => q.method === 'PATCH').length, 0);
      assert.equal(r.tenant.getRoleRequest(r.seed.examples.roleApprovalId)?.status, 'PendingApproval');
      assert.equal(r.tenant.getGroupRequest(r.seed.examples.groupApprovalId)?.status, 'PendingApproval');
      assert.equal(r.tenant.getAccessRequest(r.seed.examples.accessApprovalId)?.state, 'pendingApproval');
    });
  }
});
