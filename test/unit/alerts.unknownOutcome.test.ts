// An "actions taken" alert for a failed write says what the person was told in chat for the same
// outcome: a write whose answer was lost (a timeout, a 5xx, throttled on the way to its re-send)
// "may or may not have taken effect" (its audit line's mayHaveTakenEffect); a write Graph refused
// (a 4xx with no meaning of its own, a 501), one never sent (the read before it failed, no
// connection, no time left) or throttled before anything was sent changed nothing. The alert said
// "Failed: it may not have taken effect" for all of them, so an ops channel went to check items a
// refused write never touched. Graph's status codes: https://learn.microsoft.com/graph/errors

import { strict as assert } from 'node:assert';
import { auditLineOf } from '../../src/domain/auditLine';
import {
  DomainError,
  NotSentError,
  OutOfTimeError,
  RefusedByGraphError,
  ThrottledError,
  UnsupportedByGraphError,
  UpstreamError,
} from '../../src/domain/errors';
import type { Outcome } from '../../src/domain/governancePorts';
import { CATALOG, Target } from '../../src/domain/operations';
import { explain } from '../../src/cards/wording';
import { actionAlertOf } from './alerts.actionAlertOf';

const RUN = '11111111-2222-4333-8444-555555555555';
const WORKFLOW = '66666666-7777-4888-9999-000000000000';
const target: Target = { operation: 'cancelWorkflowRun', ids: { workflowId: WORKFLOW, runId: RUN } };
const LOST = { status: null, requestId: null };

async function alertOf(error: DomainError): Promise<string> {
  const outcome: Outcome = { ok: false, target, error, correlationId: 'corr-9' };
  return actionAlertOf({ ...auditLineOf(outcome, 'aad-megan', 'global', 5, {}), userName: 'Megan Bowen' });
}

function chatOf(error: DomainError): string {
  const { what, next } = explain(error, CATALOG.cancelWorkflowRun, target);
  return `${what} ${next}`;
}

const UNKNOWN = /may or may not have taken effect/i;
const NOTHING = /nothing was changed/i;

describe('alerts: an action whose write failed says whether it may have taken effect', () => {
  it('a lost answer (timeout, 5xx, throttled before the re-send): may or may not have taken effect, as in chat', async () => {
    for (const error of [
      new UpstreamError('Microsoft Graph did not answer in time; the action may or may not have taken effect.', LOST),
      new UpstreamError('Microsoft Graph failed (HTTP 503); the action may or may not have taken effect.', {
        status: 503,
        requestId: 'r-503',
      }),
      new ThrottledError('busy', 30, LOST, true),
    ]) {
      assert.match(chatOf(error), UNKNOWN, 'the chat answer says so');
      const said = await alertOf(error);
      assert.match(said, /Failed: it may or may not have taken effect/, said);
      assert.doesNotMatch(said, NOTHING, said);
      assert.match(said, /"style":"attention"/, said);
    }
  });

  it('refused by Graph, never sent, out of time or throttled before sending: nothing was changed, as in chat', async () => {
    for (const error of [
      new RefusedByGraphError('Microsoft Graph refused the request (HTTP 422).', { status: 422, requestId: 'r-422' }),
      new UnsupportedByGraphError('Microsoft Graph does not offer it (HTTP 501), so nothing was changed.', {
        status: 501,
        requestId: 'r-501',
      }),
      new NotSentError('Microsoft Graph did not answer when the bot read the run, so it was not sent.', LOST),
      new NotSentError(
        'Microsoft Graph could not be reached (no connection to it could be made), so nothing was sent.',
      ),
      new OutOfTimeError(),
      new ThrottledError('busy', 30, { status: 429, requestId: 'r-429' }),
    ]) {
      assert.match(chatOf(error), NOTHING, `the chat answer says so: ${chatOf(error)}`);
      assert.doesNotMatch(chatOf(error), UNKNOWN);
      const said = await alertOf(error);
      assert.match(said, /Failed: nothing was changed/, said);
      assert.doesNotMatch(said, /may (or may )?not have taken effect/i, said);
    }
  });
});
