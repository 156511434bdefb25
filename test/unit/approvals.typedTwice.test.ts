// An approver of two consecutive stages of an access package request sends `approve
// access-request <id>` twice before the first answer comes (two sends of one intent). The first
// approves stage 1; stage 2 then starts and is assigned to them too ("Only one of the selected
// approvers from each stage needs to approve a request for multi-stage approval for the request to
// progress to the next stage":
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// The read before the second shows stage 1 approved by them (reviewedBy, reviewedDateTime) and
// stage 2 InProgress (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).
// The second command was sent before that approval: it must not decide stage 2, which its sender had
// not seen. A command sent after it does.

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { InvalidStateError } from '../../src/domain/errors';
import { approvedSinceTyped } from '../../src/domain/laterStage';
import { CATALOG, Target } from '../../src/domain/operations';
import { twoStagesOfMegan } from '../fixtures/twoStagesOfMegan';

const REQUEST_ID = '7999249e-249e-7999-9e24-99799e2499b2';

describe('a typed approval sent twice by an approver of two consecutive stages', () => {
  it('decides stage 1 once, leaves stage 2 to a command sent after it, which decides it', async () => {
    const { svc, actor, typed, pass, patched } = twoStagesOfMegan(REQUEST_ID);
    const first = await svc.perform(typed(), actor);
    assert.ok(first.ok, 'stage 1 approved');
    assert.equal(patched.length, 1);

    // The second send, received a moment later but sent before the first was answered.
    pass(800);
    const second = await svc.perform(typed(), actor);
    assert.ok(!second.ok, 'the second send decides nothing');
    assert.ok(second.error instanceof InvalidStateError);
    assert.equal(second.error.code, 'INVALID_STATE');
    assert.equal(patched.length, 1, 'no PATCH for stage 2');
    const read = await svc.currentState(typed(), actor);
    assert.ok(!(read instanceof Error));
    assert.equal(read.state, 'InProgress', 'stage 2 still waits');
    const told = explain(second.error, CATALOG.decideAccessPackageApproval, typed(), 'command');
    assert.match(told.what, /nothing was sent/i);
    assert.match(told.next, /send the command again/i);

    // Sent a minute later, after the answer: it decides stage 2.
    pass(60_000);
    const third = await svc.perform(typed(), actor);
    assert.ok(third.ok, 'stage 2 approved');
    assert.equal(patched.length, 2);
  });
});

describe('approvedSinceTyped: which earlier approval a typed command was sent before', () => {
  const ME = '6e7b768e-07e2-4810-8459-485f84f8f204';
  const OTHER = '7e7b768e-07e2-4810-8459-485f84f8f204';
  const typedAt = Date.parse('2026-03-02T09:00:10Z');
  const target: Target = { operation: 'decideAccessPackageApproval', ids: { requestId: REQUEST_ID }, typedAt };
  const item = (byId: string, at: string | null) => ({ decidedBefore: [{ stageId: 's1', byId, byName: 'M', at }] });

  it('names the sender’s approval from 5 s before the command on; not an older one, another’s, or one without a time', () => {
    assert.equal(approvedSinceTyped(target, item(ME, '2026-03-02T09:00:05Z'), ME)?.stageId, 's1');
    assert.equal(approvedSinceTyped(target, item(ME, '2026-03-02T09:00:11Z'), ME)?.stageId, 's1');
    assert.equal(approvedSinceTyped(target, item(ME, '2026-03-02T09:00:04.999Z'), ME), null);
    assert.equal(approvedSinceTyped(target, item(OTHER, '2026-03-02T09:00:11Z'), ME), null);
    assert.equal(approvedSinceTyped(target, item(ME, null), ME), null);
    const { typedAt: _none, ...pressed } = target;
    assert.equal(approvedSinceTyped(pressed, item(ME, '2026-03-02T09:00:11Z'), ME), null, 'not a typed command');
  });
});
