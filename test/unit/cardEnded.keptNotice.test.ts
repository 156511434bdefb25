// The ended card (cardEnded.ts) has no button, and past the approval's moment no decision is taken
// (an access package stage still pending then is denied automatically:
// https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage), so what a press met
// first is told as what happened, never as what to do again ("press the button again", "sign in",
// "try again in 30 s", "approve it in the admin center"). A write whose outcome is unknown keeps its
// advice to check the item first. Graph answers 429 with Retry-After
// (https://learn.microsoft.com/graph/throttling) and 401 for a token it does not accept
// (https://learn.microsoft.com/graph/errors#http-status-codes).

import { strict as assert } from 'node:assert';
import { keptNotice } from '../../src/bot/cardEnded';
import {
  DomainError,
  NotFoundError,
  NotSentError,
  RefusedByGraphError,
  SignInRequiredError,
  ThrottledError,
  UpstreamError,
} from '../../src/domain/errors';
import type { Target } from '../../src/domain/operations';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const target = {
  operation: 'decideAccessPackageApproval',
  ids: { requestId: ID },
  decision: 'approve',
  endsAt: Date.UTC(2026, 2, 18, 8, 30),
} as unknown as Target;
const graph = (status: number) => ({ status, requestId: 'r-1', errorCode: null });
const failed = (error: DomainError) => keptNotice(target, { kind: 'failed', error });
const RETRY = /[Pp]ress the button|[Ss]ign in|[Ss]ign-in needed|[Tt]ry again|[Ss]end the command|admin center/;

describe('ended card: what the press met first', () => {
  it('a write Graph answered 401: not taken, and no sign-in asked for', () => {
    const text = failed(new SignInRequiredError('Graph refused the token.', 'expired', graph(401)));
    assert.match(text, /did not accept your sign-in/);
    assert.match(text, /decision was not taken/);
    assert.doesNotMatch(text, RETRY, text);
  });

  it('a failure whose write did nothing: what happened, with no retry', () => {
    for (const error of [
      new ThrottledError('Throttled.', 30, graph(429)),
      new NotSentError('Microsoft Graph did not answer when the bot read the request, so nothing was sent.'),
      new RefusedByGraphError('Microsoft Graph refused the request (HTTP 422).', graph(422)),
      new NotFoundError('Gone.', graph(404)),
    ]) {
      const text = failed(error);
      assert.ok(text.length > 0, error.name);
      assert.doesNotMatch(text, RETRY, `${error.name}: ${text}`);
    }
  });

  it('a write whose outcome is unknown keeps the advice to check the item first', () => {
    assert.match(failed(new UpstreamError('Microsoft Graph did not answer in time.', graph(504))), /Check the/);
    assert.match(failed(new ThrottledError('Throttled.', 30, graph(429), true)), /Check the/);
  });
});
