// Before a PIM decision the bot reads the request's `action` through the approver's own filter, to
// tell an extension or renewal Microsoft Graph cannot decide
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// That read only tells; when Graph refuses it with a 400 (the function not offered in a national
// cloud: "Resource not found for the segment", or a $filter it does not take), it tells nothing
// either way, as a 403 or a 404 does: the decision goes to Graph and Graph's answer stands. It must
// not be refused as a call "not offered here" or an item "not in a state that allows this".
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

describe('PIM decision: the read of the request’s action is answered 400', () => {
  let r: Rig;
  const patches = (part: string) =>
    r.tenant.graphRequests().filter((q) => q.method === 'PATCH' && q.path.includes(part));
  rigPerTest((rig) => (r = rig));

  const cases = [
    {
      why: 'not offered in this cloud',
      code: 'BadRequest',
      message: "Resource not found for the segment 'filterByCurrentUser'.",
    },
    { why: 'a $filter it does not take', code: 'InvalidFilter', message: 'Invalid filter clause.' },
  ];
  for (const c of cases) {
    it(`group approval, ${c.why}: the decision is sent and applied`, async () => {
      const id = r.seed.examples.groupApprovalId;
      r.tenant.injectFault({
        method: 'GET',
        pathIncludes: 'filterByCurrentUser',
        status: 400,
        code: c.code,
        message: c.message,
        times: 1,
      });
      const { sent } = await r.message(r.user(0), `approve group-request ${id} Checked`);
      const reply = text(sent);
      assert.doesNotMatch(reply, /does not offer|not in a state that allows/, reply.slice(0, 800));
      assert.equal(patches('assignmentApprovals').length, 1, reply.slice(0, 800));
      assert.match(reply, /[Aa]pproved/, reply.slice(0, 800));
    });
  }

  it('role approval, not offered in this cloud: the decision is sent', async () => {
    const id = r.seed.examples.roleApprovalId;
    r.tenant.injectFault({
      method: 'GET',
      pathIncludes: 'filterByCurrentUser',
      status: 400,
      message: "Resource not found for the segment 'filterByCurrentUser'.",
      times: 1,
    });
    const { sent } = await r.message(r.user(0), `approve role-request ${id} Checked`);
    const reply = text(sent);
    assert.doesNotMatch(reply, /does not offer/, reply.slice(0, 800));
    assert.equal(patches('roleAssignmentApprovals').length, 1, reply.slice(0, 800));
  });
});
