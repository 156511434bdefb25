// A PIM role decision whose PATCH goes unanswered (a 5xx) may have taken effect: the bot reads the
// request and, still open, sends the decision once more. That re-send reads the request's `action`
// first (an extension or renewal cannot be decided through Microsoft Graph:
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// When only that read fails, the second PATCH is not sent, but the first one was: the person must
// not be told "not sent … Nothing was changed", and must be told to check before trying again.
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

describe('PIM role decision: the first PATCH unanswered, the re-send’s read of the action fails', () => {
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
    assert.equal(patches, 1, 'the first PATCH was sent');
    assert.ok(actionReads >= 2, `the re-send read the action again (${actionReads})`);
    assert.doesNotMatch(reply, /not sent|Nothing was changed/, reply.slice(0, 900));
    assert.match(reply, /so it is not changed twice/);
  });
});
