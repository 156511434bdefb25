// The retry loop shared by the SQLite store's lock wait and the compare-and-swap updates: it tries
// again after each miss, pausing as told, and stops at a result, at its tries' limit, at its time
// or at a miss that may not be tried again.

import { strict as assert } from 'node:assert';
import { Try, retryWithin } from '../../src/state/retryWithin';

/** An attempt that misses `misses` times (each miss named by its number), then gives 'ok'. */
function missing(misses: number) {
  let tries = 0;
  const attempt = (): Try<string> => (++tries > misses ? { done: 'ok' } : { missed: `miss ${tries}` });
  return { attempt, tries: () => tries };
}

describe('retryWithin', () => {
  it('gives the first try’s value without pausing', async () => {
    const { attempt, tries } = missing(0);
    const paused: number[] = [];
    const ended = await retryWithin(attempt, {
      until: Infinity,
      clock: () => 0,
      pauseMs: (n) => (paused.push(n), 0),
    });
    assert.deepEqual(ended, { done: 'ok' });
    assert.equal(tries(), 1);
    assert.deepEqual(paused, []);
  });

  it('tries again after each miss, pausing as told after the n-th, until one is done', async () => {
    const { attempt, tries } = missing(3);
    const paused: number[] = [];
    const ended = await retryWithin(attempt, {
      until: Infinity,
      clock: () => 0,
      pauseMs: (n) => (paused.push(n), 1),
    });
    assert.deepEqual(ended, { done: 'ok' });
    assert.equal(tries(), 4);
    assert.deepEqual(paused, [1, 2, 3]);
  });

  it('awaits an attempt that answers later', async () => {
    let tries = 0;
    const ended = await retryWithin(
      async (): Promise<Try<number>> => {
        await new Promise((r) => setTimeout(r, 1));
        return ++tries < 2 ? { missed: 'lost' } : { done: tries };
      },
      { until: Infinity, clock: () => 0, pauseMs: () => 0 },
    );
    assert.deepEqual(ended, { done: 2 });
  });

  it('gives up with the last miss once its tries are made', async () => {
    const { attempt, tries } = missing(10);
    const ended = await retryWithin(attempt, { until: Infinity, clock: () => 0, attempts: 3, pauseMs: () => 0 });
    assert.deepEqual(ended, { missed: 'miss 3', attempts: 3 });
    assert.equal(tries(), 3);
  });

  it('makes the first try even when the time is up, and no other', async () => {
    const { attempt, tries } = missing(10);
    const ended = await retryWithin(attempt, { until: 100, clock: () => 100, pauseMs: () => 0 });
    assert.deepEqual(ended, { missed: 'miss 1', attempts: 1 });
    assert.equal(tries(), 1);
  });

  it('cuts a pause to the time left, and starts no try after it', async () => {
    // Each try takes 20 ms of the loop's clock; the pause asked for is a minute.
    let clock = 0;
    let tries = 0;
    const attempt = (): Try<string> => {
      clock += 20;
      return { missed: `miss ${++tries}` };
    };
    const started = performance.now();
    const ended = await retryWithin(attempt, { until: 30, clock: () => clock, pauseMs: () => 60_000 });
    const took = performance.now() - started;
    assert.deepEqual(ended, { missed: 'miss 2', attempts: 2 });
    assert.ok(took < 1_000, `paused ${Math.round(took)} ms, not the 10 ms left`);
  });

  it('stops at a miss that may not be tried again', async () => {
    const { attempt, tries } = missing(10);
    const ended = await retryWithin(attempt, {
      until: Infinity,
      clock: () => 0,
      pauseMs: () => 0,
      again: (missed) => missed !== 'miss 2',
    });
    assert.deepEqual(ended, { missed: 'miss 2', attempts: 2 });
    assert.equal(tries(), 2);
  });

  it('counts a try made already as the first: pauses before trying, and gives up at once when the time is up', async () => {
    const { attempt, tries } = missing(0);
    const paused: number[] = [];
    const ended = await retryWithin(
      attempt,
      { until: Infinity, clock: () => 0, pauseMs: (n) => (paused.push(n), 0) },
      { missed: 'met before' },
    );
    assert.deepEqual(ended, { done: 'ok' });
    assert.deepEqual(paused, [1]);
    assert.equal(tries(), 1);

    const late = missing(0);
    const over = await retryWithin(
      late.attempt,
      { until: 5, clock: () => 5, pauseMs: () => 0 },
      { missed: 'met before' },
    );
    assert.deepEqual(over, { missed: 'met before', attempts: 1 });
    assert.equal(late.tries(), 0);
  });
});
