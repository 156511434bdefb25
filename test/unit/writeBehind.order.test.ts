// The write-behind queue never lets an older capture of a key land after a newer one: an install's
// reference is written at once (`writeNow`), and a timer's batch that took an older capture of the
// same key off the queue before it could start writing it must not overwrite the install's after.

import { strict as assert } from 'node:assert';
import { WRITE_CONCURRENCY, WriteBehind } from '../../src/state/referenceWrites';

function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

describe('write-behind: the order of captures of one key', () => {
  it("an older capture a batch took before an install's immediate write is not written after it", async () => {
    const stored = new Map<string, string>();
    const gate = signal();
    const started: string[] = [];
    const allStarted = signal();
    const queue = new WriteBehind<string>({
      flushDelayMs: 0,
      now: () => Date.now(),
      write: async (key, value) => {
        started.push(`${key}=${value}`);
        if (started.length === WRITE_CONCURRENCY) allStarted.resolve();
        if (value === 'older') await gate.promise;
        stored.set(key, value);
      },
    });
    // One key more than the batch writes at once: the last waits in the batch, off the queue.
    const keys = Array.from({ length: WRITE_CONCURRENCY + 1 }, (_, i) => `k${i}`);
    for (const k of keys) queue.queue(k, 'older');
    await allStarted.promise;
    const last = `k${WRITE_CONCURRENCY}`;
    assert.equal(await queue.writeNow(last, 'install'), true);
    assert.equal(stored.get(last), 'install');
    gate.resolve();
    await queue.flush(5_000);
    assert.equal(stored.get(last), 'install', `writes: ${started.join(', ')}`);
  });
});
