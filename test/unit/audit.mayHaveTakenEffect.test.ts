// A write whose answer was lost (a timeout, a 5xx, no answer to rely on) is told to the person as
// one that "may or may not have taken effect" (src/cards/wording.ts, cardEnded.ts): its audit line
// must not read as a plain failure. Contract §6 keeps `outcome` to succeeded|failed and allows
// other fields, so the line says `mayHaveTakenEffect: true` exactly when the person was told so
// (README "Audit log"); a write that was not sent, or that Graph refused, says nothing of the kind.

import { strict as assert } from 'node:assert';
import { auditLineOf } from '../../src/domain/auditLine';
import {
  DomainError,
  NotSentError,
  OutOfTimeError,
  RefusedByGraphError,
  ThrottledError,
  UpstreamError,
} from '../../src/domain/errors';
import type { Outcome } from '../../src/domain/governancePorts';
import type { Target } from '../../src/domain/operations';

const RUN = '11111111-2222-3333-4444-555555555555';
const WORKFLOW = '66666666-7777-8888-9999-000000000000';
const target: Target = { operation: 'cancelWorkflowRun', ids: { workflowId: WORKFLOW, runId: RUN } };

function lineOf(error: DomainError | null): Record<string, unknown> {
  const outcome: Outcome =
    error === null
      ? { ok: true, target, graph: { status: 204, requestId: 'r' }, correlationId: 'c', confirmedByRead: false }
      : { ok: false, target, error, correlationId: 'c' };
  return auditLineOf(outcome, 'user', 'global', 1, {});
}

const LOST = { status: null, requestId: null };

describe('the audit line of a write whose outcome is unknown', () => {
  it('a write Graph did not answer says it may have taken effect, with outcome failed and UPSTREAM', () => {
    const line = lineOf(
      new UpstreamError('Microsoft Graph did not answer in time; the action may or may not have taken effect.', LOST),
    );
    assert.equal(line.outcome, 'failed');
    assert.equal(line.errorCode, 'UPSTREAM');
    assert.equal(line.mayHaveTakenEffect, true);
  });

  it('a 5xx to the write says so too', () => {
    const line = lineOf(
      new UpstreamError('Microsoft Graph failed (HTTP 503); the action may or may not have taken effect.', {
        status: 503,
        requestId: 'r',
      }),
    );
    assert.equal(line.mayHaveTakenEffect, true);
  });

  it('throttled on the way to the re-send after an unanswered write says so', () => {
    assert.equal(lineOf(new ThrottledError('busy', 30, LOST, true)).mayHaveTakenEffect, true);
  });

  it('nothing sent, refused by Graph, out of time, or throttled before anything took effect: no such field', () => {
    for (const error of [
      new NotSentError(
        'Microsoft Graph did not answer when the bot read the request, so your decision was not sent.',
        LOST,
      ),
      new RefusedByGraphError('Microsoft Graph refused the request (HTTP 422).', { status: 422, requestId: 'r' }),
      new OutOfTimeError(),
      new ThrottledError('busy', 30, { status: 429, requestId: 'r' }),
    ]) {
      assert.equal('mayHaveTakenEffect' in lineOf(error), false, error.constructor.name);
    }
  });

  it('a success has no such field', () => {
    assert.equal('mayHaveTakenEffect' in lineOf(null), false);
  });
});
