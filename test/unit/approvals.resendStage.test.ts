// An `approve` from the approver of two consecutive stages of an access package request, typed
// or pressed on a card (neither names the stage), whose first read of the approval comes while
// stage 1 is still starting (Initializing, so it names no stage:
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0). The
// write reads the approval again for its stage and approves stage 1, but its answer is lost (a 5xx:
// its outcome is unknown, https://learn.microsoft.com/en-us/graph/errors#http-status-codes). The
// read after it shows stage 2 open for the same approver ("Only one of the selected approvers from
// each stage needs to approve a request for multi-stage approval for the request to progress to
// the next stage",
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy):
// the re-send must not decide stage 2, which its sender never saw open.

import { strict as assert } from 'node:assert';
import { NotSentError, UpstreamError } from '../../src/domain/errors';
import { asStarting, twoStagesOfMegan } from '../fixtures/twoStagesOfMegan';

const REQUEST_ID = '7999249e-249e-7999-9e24-99799e2499c2';

/** Every PATCH is applied and its answer lost; the first read of the approval shows stage 1 starting. */
const lostAnswers = () =>
  twoStagesOfMegan(REQUEST_ID, (answer, call) => {
    if (call.method === 'PATCH')
      return new Response(JSON.stringify({ error: { code: 'GatewayTimeout', message: 'timeout' } }), {
        status: 504,
        headers: { 'content-type': 'application/json' },
      });
    return call.approvalRead && call.approvalReads === 1 ? asStarting(answer) : answer;
  });

describe('an approval whose write named its stage itself, its answer lost', () => {
  for (const how of ['typed', 'pressed'] as const)
    it(`sends nothing for stage 2 (${how})`, async () => {
      const { svc, actor, typed, pressed, patched, approvalReads } = lostAnswers();
      const outcome = await svc.perform(how === 'typed' ? typed() : pressed, actor);
      assert.ok(approvalReads() >= 2, 'the write read the approval for its stage');
      assert.ok(patched.length >= 1, 'stage 1 was sent');
      const stages = new Set(patched.map((u) => u.split('/stages/')[1]));
      assert.equal(stages.size, 1, `one stage sent: ${patched.join(', ')}`);
      // Stage 1's outcome is what stays unknown: the person is told so, not that nothing changed.
      assert.ok(!outcome.ok, 'not told as done');
      assert.ok(outcome.error instanceof UpstreamError, String(outcome.error));
      assert.ok(!(outcome.error instanceof NotSentError), String(outcome.error));
    });
});
