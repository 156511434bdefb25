// A write answered 503 with a Retry-After: the bot reads the item and, when the write did not take
// effect, sends it once more. Graph asks a client to wait what a busy service's Retry-After says
// before sending again, as for a 429
// (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors,
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling). The re-send
// went out at once after the read. Now it waits, when the wait ends within the write's 30 s
// (contract §4); otherwise nothing more is sent and the person is told to try again later.

import { strict as assert } from 'node:assert';
import { ThrottledError } from '../../src/domain/errors';
import { CATALOG } from '../../src/domain/operations';
import { explain } from '../../src/cards/wording';
import { actor, busy, done, json, pending, scriptedWrite as rig, target } from '../fixtures/scriptedWrite';

describe('the re-send after a write answered 503 with a Retry-After', () => {
  it('waits the Retry-After (seconds) before sending the write again', async () => {
    const { service, sent } = rig([busy({ 'retry-after': '4' }), pending, done]);
    const outcome = await service.perform(target, actor);
    assert.ok(outcome.ok);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'GET', 'POST'],
    );
    // The 503 came at sent[0].at + 100; the re-send no sooner than 4 s after it.
    assert.ok(sent[2]!.at - (sent[0]!.at + 100) >= 4_000, `re-sent ${sent[2]!.at - sent[0]!.at} ms after the write`);
  });

  it('counts a Retry-After date from the answer\u2019s own Date header', async () => {
    const { service, sent } = rig([
      // Graph's clock 10 s behind the local one: from now, the date would be already past.
      busy({ 'retry-after': 'Sun, 29 Nov 2026 11:59:56 GMT', date: 'Sun, 29 Nov 2026 11:59:50 GMT' }),
      pending,
      done,
    ]);
    assert.ok((await service.perform(target, actor)).ok);
    assert.ok(sent[2]!.at - (sent[0]!.at + 100) >= 6_000);
  });

  it('a wait past the write\u2019s budget is not taken: nothing more is sent, and "try again later"', async () => {
    const { service, sent, lines } = rig([busy({ 'retry-after': '45' }), pending, done]);
    const outcome = await service.perform(target, actor);
    assert.ok(!outcome.ok);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'GET'],
    );
    assert.ok(outcome.error instanceof ThrottledError, outcome.error.constructor.name);
    assert.equal(lines[0]?.errorCode, 'THROTTLED');
    const words = JSON.stringify(explain(outcome.error, CATALOG[target.operation]));
    assert.match(words, /in 45 s at the earliest/);
    // The first write got a 503: it may still land (a read may lag it), so its outcome is unknown.
    assert.match(words, /may or may not have taken effect/);
    assert.doesNotMatch(words, /Nothing was changed/);
  });

  it('a re-send throttled past its budget: "try again later", and the first write\u2019s outcome is unknown', async () => {
    const throttled = () =>
      json(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '20' });
    const { service, sent, lines } = rig([busy({}), pending, throttled, throttled]);
    const outcome = await service.perform(target, actor);
    assert.ok(!outcome.ok);
    assert.ok(outcome.error instanceof ThrottledError, outcome.error.constructor.name);
    // The write, then the one re-send: its first attempt and the one after a 20 s wait; a second wait
    // would pass the write's 30 s, so nothing more goes out.
    const posts = sent.filter((s) => s.method === 'POST');
    assert.equal(posts.length, 3);
    assert.ok(posts[2]!.at - posts[0]!.at < 30_000);
    assert.equal(lines[0]?.errorCode, 'THROTTLED');
    const words = JSON.stringify(explain(outcome.error, CATALOG[target.operation]));
    assert.match(words, /may or may not have taken effect/);
    assert.doesNotMatch(words, /Nothing was changed/);
  });

  it('a 503 without a Retry-After is read and re-sent as before', async () => {
    const { service, sent } = rig([busy({}), pending, done]);
    assert.ok((await service.perform(target, actor)).ok);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'GET', 'POST'],
    );
  });
});
