// A PIM role decision whose PATCH goes unanswered (a 5xx) may have taken effect: the bot reads the
// request and, still open, sends the decision once more. The read of the request's `action` before
// a decision (an extension or renewal cannot be decided through Microsoft Graph:
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow)
// was made before the first PATCH, and the action is fixed when the request is made: the re-send
// does not read it again, so a read that would fail now keeps no re-send from going out
// (approvals.resendSkipsDecisionRead.test.ts). The re-send unanswered too, the person must not be
// told "not sent … Nothing was changed", since the first PATCH went out, and must be told to check
// before trying again.
// A 5xx leaves a write's outcome unknown:
// https://learn.microsoft.com/en-us/graph/errors#http-status-codes

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);
const unavailable = (): Promise<Response> =>
  Promise.resolve(
    new Response(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'Try later.' } }), {
      status: 503,
      headers: { 'content-type': 'application/json' },
    }),
  );

describe('PIM role decision: the first PATCH unanswered, a read of the action after it would fail', () => {
  let r: Rig;
  // A read answered 503 is sent again after a back-off, as a 429 is (graphCaller.ts): no real waits here.
  rigPerTest((rig) => (r = rig), { silent: true, graphSleep: () => Promise.resolve() });

  it('is not told the decision was not sent, since the first PATCH went out', async () => {
    const id = r.seed.examples.roleApprovalId;
    let actionReads = 0;
    let patches = 0;
    r.hold = (req) => {
      if (req.method === 'GET' && req.url.includes('filterByCurrentUser')) {
        actionReads++;
        return actionReads === 1 ? null : unavailable();
      }
      if (req.method === 'PATCH' && req.url.includes('roleAssignmentApprovals')) {
        patches++;
        return unavailable();
      }
      return null;
    };
    const { sent } = await r.message(r.user(0), `approve role-request ${id} Checked`);
    const reply = text(sent);
    assert.equal(patches, 2, 'the first PATCH was sent, and the re-send, both unanswered');
    assert.equal(actionReads, 1, 'the action was read before the first PATCH only');
    assert.doesNotMatch(reply, /not sent|Nothing was changed/, reply.slice(0, 900));
    assert.match(reply, /so it is not changed twice/);
  });
});
