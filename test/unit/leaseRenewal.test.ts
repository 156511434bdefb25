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
});
