// A click's claim is renewed while Graph works (src/domain/leaseRenewal.ts). A renewal the store
// failed to answer must not end the renewing: the claim is still held, and without renewals its
// lease lapses while Graph is still at work, so a second click could take it over and write again.
// Time is a fake clock: waiting is counted, never slept.

import { strict as assert } from 'node:assert';
import { renewWhileWorking } from '../../src/domain/leaseRenewal';
import { FakeClock } from '../component/fakeClock';

const EVERY_MS = 10_000;

/** A claims port whose renewals answer from `answers` in turn (an Error is thrown), then true. */
function claimsAnswering(answers: ReadonlyArray<boolean | Error>) {
  const calls: string[] = [];
  return {
    calls,
    renew: async (key: string): Promise<boolean> => {
      const answer = answers[calls.length] ?? true;
      calls.push(key);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('claim renewal while Graph works', () => {
  it('goes on renewing after a renewal the store failed, and reports the failure', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const claims = claimsAnswering([new Error('state store: renew failed (SQLITE_BUSY)')]);
    const errors: unknown[] = [];
    const renewing = renewWhileWorking(claims, clock, { key: 'k', fence: 1, everyMs: EVERY_MS }, stop.signal, (e) =>
      errors.push(e),
    );
    await clock.advance(3 * EVERY_MS);
    assert.equal(claims.calls.length, 3, 'renewed at every tick, the one after the failure included');
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /SQLITE_BUSY/);
    stop.abort();
    await renewing;
  });

  it('stops when the claim was lost, and when told to', async () => {
    const clock = new FakeClock();
    const lost = claimsAnswering([true, false]);
    const ended = renewWhileWorking(
      lost,
      clock,
      { key: 'k', fence: 1, everyMs: EVERY_MS },
      new AbortController().signal,
      () => assert.fail('no error'),
    );
    await clock.advance(5 * EVERY_MS);
    await ended;
    assert.equal(lost.calls.length, 2, 'no renewal after the one that found the claim lost');

    const stop = new AbortController();
    const held = claimsAnswering([]);
    const stopped = renewWhileWorking(held, clock, { key: 'k', fence: 1, everyMs: EVERY_MS }, stop.signal, () =>
      assert.fail('no error'),
    );
    await clock.advance(EVERY_MS);
    stop.abort();
    await stopped;
    await clock.advance(5 * EVERY_MS);
    assert.equal(held.calls.length, 1, 'no renewal after stop');
  });

  // The claim's lease is 30 s and renewals come every 10 s; the Azure store's calls have a 10 s
  // deadline. A renewal that fails only at its deadline used to be followed by a full interval's
  // wait: the next one began 30 s after the last renewed lease, as it ran out, so another click
  // could take the claim over while Graph was still writing. The next renewal starts one interval
  // after the last one started (never two at once), not one interval after it ended.
  it('starts the next renewal one interval after the last one started, however long that one took', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const started: number[] = [];
    const t0 = clock.now();
    const claims = {
      renew: async (): Promise<boolean> => {
        started.push(clock.now() - t0);
        if (started.length > 1) return true;
        await clock.sleep(EVERY_MS); // the store's deadline passes, then it fails
        throw new Error('state store: renew timed out');
      },
    };
    const errors: unknown[] = [];
    const renewing = renewWhileWorking(claims, clock, { key: 'k', fence: 1, everyMs: EVERY_MS }, stop.signal, (e) =>
      errors.push(e),
    );
    await clock.advance(3 * EVERY_MS);
    assert.deepEqual(started, [EVERY_MS, 2 * EVERY_MS, 3 * EVERY_MS], 'within the 30 s lease of the last renewal');
    assert.equal(errors.length, 1);
    stop.abort();
    await renewing;
  });

  it('never has two renewals under way at once, however slow the store', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    let underWay = 0;
    let most = 0;
    let calls = 0;
    const claims = {
      renew: async (): Promise<boolean> => {
        calls++;
        most = Math.max(most, ++underWay);
        await clock.sleep(2.5 * EVERY_MS);
        underWay--;
        return true;
      },
    };
    const renewing = renewWhileWorking(claims, clock, { key: 'k', fence: 1, everyMs: EVERY_MS }, stop.signal, () =>
      assert.fail('no error'),
    );
    await clock.advance(10 * EVERY_MS);
    assert.equal(most, 1);
    assert.ok(calls >= 3, `renewed ${calls} times`);
    stop.abort();
    await clock.advance(3 * EVERY_MS);
    await renewing;
  });
});
