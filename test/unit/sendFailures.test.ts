// How a refused or failed send to Teams is read: which answers are retried, and how long a
// Retry-After is waited out. Teams' rate limits and the answers it throttles with:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import { MAX_RETRY_AFTER_MS, classifySendError } from '../../src/notifications/delivery';

const refused = (status: number, retryAfter?: string) =>
  Object.assign(new Error(`status ${status}`), {
    statusCode: status,
    response: { headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } },
  });

describe('reading a failed send', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);

  it("waits out Teams' Retry-After, in seconds or as an HTTP date", () => {
    assert.deepEqual(classifySendError(refused(429, '30'), now), { kind: 'retry', afterMs: 30_000, status: 429 });
    const at = new Date(now + 90_000).toUTCString();
    assert.deepEqual(classifySendError(refused(503, at), now), { kind: 'retry', afterMs: 90_000, status: 503 });
  });

  // An HTTP-date and the answer's Date are both Teams' clock (RFC 9110 §10.2.3, §6.6.1): a local
  // clock 20 s ahead of Teams' must not shorten a 30 s wait to 10 s, a send again into the throttle.
  it("counts a Retry-After date from the answer's own Date, whatever the local clock", () => {
    const teamsNow = now - 20_000;
    const answer = Object.assign(new Error('status 429'), {
      statusCode: 429,
      response: {
        headers: {
          'retry-after': new Date(teamsNow + 30_000).toUTCString(),
          date: new Date(teamsNow).toUTCString(),
        },
      },
    });
    assert.deepEqual(classifySendError(answer, now), { kind: 'retry', afterMs: 30_000, status: 429 });
  });

  it('waits at most an hour, however long or absurd the Retry-After, so the event still settles', () => {
    for (const value of ['99999999999999999999', '86400', new Date(now + 7 * 86_400_000).toUTCString()]) {
      const failure = classifySendError(refused(429, value), now);
      assert.equal(failure.kind, 'retry', value);
      assert.equal(failure.kind === 'retry' && failure.afterMs, MAX_RETRY_AFTER_MS, value);
    }
    assert.equal(MAX_RETRY_AFTER_MS, 3_600_000);
  });

  // Teams' table of the bot APIs' status codes marks 412, 429, 502, 503 and 504 "Retry: Yes", 500
  // ServiceError "No", and "bot must avoid retrying status codes that aren't specified" (408 is not):
  // https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
  it('retries 412, 429, 502, 503, 504 and a send with no answer; settles other answers', () => {
    for (const status of [412, 429, 502, 503, 504]) {
      assert.equal(classifySendError(refused(status), now).kind, 'retry', String(status));
    }
    assert.equal(classifySendError(new Error('socket hang up'), now).kind, 'retry');
    for (const status of [400, 401, 403, 404, 408, 500, 501, 505]) {
      assert.equal(classifySendError(refused(status), now).kind, 'undeliverable', String(status));
    }
  });

  it('says of a 500 that the card may have been posted, and that Teams asks not to send it again', () => {
    const failure = classifySendError(refused(500), now);
    assert.equal(failure.kind, 'undeliverable');
    assert.match(failure.kind === 'undeliverable' ? failure.reason : '', /500.*may or may not have been posted/);
    assert.equal(failure.kind === 'undeliverable' && failure.forgetRecipient, false);
  });
});
