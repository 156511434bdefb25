// An approver of two consecutive stages of an access package request sends `approve
// access-request <id>` twice before the first answer comes (approvals.typedTwice.test.ts). Here the
// second command's first read of the approval comes while the stage after the one just approved is
// still starting: Graph lists a stage's status as InProgress, Initializing, Completed or Expired
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0), and
// "Only one of the selected approvers from each stage needs to approve a request for multi-stage
// approval for the request to progress to the next stage"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// That read names no stage (none of the sender's is open), so the write reads the approval again
// for the stage it sends, and by then stage 2 is InProgress. That read must not decide stage 2
// either: the command was sent before its sender approved stage 1.

import { strict as assert } from 'node:assert';
import { InvalidStateError } from '../../src/domain/errors';
import { SentBeforeOwnStageError } from '../../src/domain/namedStage';
import { asStarting, twoStagesOfMegan } from '../fixtures/twoStagesOfMegan';

const REQUEST_ID = '7999249e-249e-7999-9e24-99799e2499c1';

describe('a typed approval sent twice, read first while the next stage starts', () => {
  it('the write’s own read finds stage 2 open and sends nothing for it; a command sent later decides it', async () => {
    // The one read after `starting` is set shows the open stage still starting.
    let starting = false;
    const { svc, actor, typed, pass, patched } = twoStagesOfMegan(REQUEST_ID, (answer, call) => {
      if (!starting || !call.approvalRead) return answer;
      starting = false;
      return asStarting(answer);
    });
    const first = await svc.perform(typed(), actor);
    assert.ok(first.ok, 'stage 1 approved');
    assert.equal(patched.length, 1);

    pass(800);
    starting = true;
    const second = await svc.perform(typed(), actor);
    assert.equal(starting, false, 'the first read saw stage 2 starting');
    assert.ok(!second.ok, 'the second send decides nothing');
    assert.ok(second.error instanceof SentBeforeOwnStageError, String(second.error));
    assert.ok(second.error instanceof InvalidStateError);
    assert.equal(patched.length, 1, 'no PATCH for stage 2');

    pass(60_000);
    const third = await svc.perform(typed(), actor);
    assert.ok(third.ok, 'stage 2 approved');
    assert.equal(patched.length, 2);
  });
});
