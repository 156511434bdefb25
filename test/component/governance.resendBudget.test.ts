// A write whose answer was lost (a 5xx) is read and, when it did not take effect, sent once more.
// That re-send is part of the same write: its waits on 429 come out of the write's 30 s, counted
// from the first send (contract §4: "On 429 the bot waits at least Retry-After, makes at most 5
// attempts within 30 s, then tells the user to try again later"). Graph asks a throttled client
// to wait Retry-After and then retry
// (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling); the bot's
// promise bounds how long it keeps doing so. The re-send had a fresh 30 s of its own, so a write
// could still be sent past that second 30 s mark, and a re-send went out with no time left at all.

import { strict as assert } from 'node:assert';
import { ThrottledError, UpstreamError } from '../../src/domain/errors';
import { actor, busy, done, pending, scriptedWrite as rig, target, throttled } from '../fixtures/scriptedWrite';

const failed = busy();

describe("the re-send after an unanswered write keeps to the write's 30 s", () => {
  it('a throttled re-send stops waiting at the 30 s counted from the first send: "try again later"', async () => {
    const { service, sent, lines } = rig([
      // The first write: throttled twice (10 s each), then a 503 at 20.3 s.
      { answer: throttled(10) },
      { answer: throttled(10) },
      { answer: failed },
      // The read: still pending, so the write is sent again at 20.4 s.
      { answer: pending },
      // The re-send, throttled: a 5 s wait from 20.5 s, then one from 25.6 s that ends past 30 s.
      { answer: throttled(5) },
      { answer: throttled(5) },
      { answer: done },
    ]);
    const outcome = await service.perform(target, actor);
    const first = sent[0]!.at;
    for (const s of sent) assert.ok(s.at - first < 30_000, `a ${s.method} sent ${s.at - first} ms after the first`);
    assert.ok(!outcome.ok, 'the third re-send attempt would have gone out at 30.6 s');
    assert.ok(outcome.error instanceof ThrottledError, outcome.error.constructor.name);
    assert.equal(lines[0]?.errorCode, 'THROTTLED');
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'POST', 'POST', 'GET', 'POST', 'POST'],
    );
  });

  it('no time left after the read: nothing more is sent, and the first write stays "may or may not"', async () => {
    const { service, sent, lines } = rig([
      { answer: throttled(10) },
      { answer: throttled(10) },
      // The third attempt's 503 comes at 30.1 s, the read's answer after it.
      { answer: failed, takesMs: 9_900 },
      { answer: pending },
      { answer: done },
    ]);
    const outcome = await service.perform(target, actor);
    assert.ok(!outcome.ok);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'POST', 'POST', 'GET'],
    );
    assert.ok(outcome.error instanceof UpstreamError, outcome.error.constructor.name);
    assert.match(outcome.error.message, /may or may not have taken effect/);
    assert.equal(lines[0]?.errorCode, 'UPSTREAM');
    // Contract §6: "the HTTP status of Graph's last answer": the read's 200 after the write's 503
    // (this said 503 before, the write's own).
    assert.equal(lines[0]?.graphStatus, 200);
  });

  it('less than 1 s of the 30 s left after the read: no re-send, and the first write stays "may or may not"', async () => {
    // A re-send with 0.6 s left would be cut at the deadline before Graph could answer it: it
    // tells nothing more, and the same floor as a retry after a 429 applies (throttleRetry.ts).
    const { service, sent } = rig([
      // The first write's 503 comes at 29.3 s, the read's answer at 29.4 s.
      { answer: failed, takesMs: 29_300 },
      { answer: pending },
      { answer: done },
    ]);
    const outcome = await service.perform(target, actor);
    assert.ok(!outcome.ok);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'GET'],
      'the re-send went out with 0.6 s left',
    );
    assert.ok(outcome.error instanceof UpstreamError, outcome.error.constructor.name);
    assert.match(outcome.error.message, /may or may not have taken effect/);
  });

  it('a re-send with time left goes out as before', async () => {
    const { service, sent } = rig([
      { answer: failed },
      { answer: pending },
      { answer: throttled(2) },
      { answer: done },
    ]);
    assert.ok((await service.perform(target, actor)).ok);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['POST', 'GET', 'POST', 'POST'],
    );
  });
});
