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

describe('write-behind: an older capture after a newer one failed', () => {
  it("is still written when the install's immediate write failed, and the install's retry lands after it", async () => {
    const stored = new Map<string, string>();
    const gate = signal();
    const started: string[] = [];
    const allStarted = signal();
    let storeDown = true;
    const queue = new WriteBehind<string>({
      flushDelayMs: 0,
      now: () => Date.now(),
      // The install's retry waits for the flush below, not for a timer.
      retry: { firstMs: 60_000 },
      write: async (key, value) => {
        started.push(`${key}=${value}`);
        if (started.length === WRITE_CONCURRENCY) allStarted.resolve();
        if (value === 'older') await gate.promise;
        else if (storeDown) throw new Error('store busy');
        stored.set(key, value);
      },
    });
    const keys = Array.from({ length: WRITE_CONCURRENCY + 1 }, (_, i) => `k${i}`);
    for (const k of keys) queue.queue(k, 'older');
    await allStarted.promise;
    const last = `k${WRITE_CONCURRENCY}`;
    // The install's write fails: nothing of it is stored, and it waits for its retry.
    assert.equal(await queue.writeNow(last, 'install'), false);
    gate.resolve();
    // The batch's older capture of the key is all the store can have until then: it is written.
    await new Promise((r) => setImmediate(r));
    await queue.settled(last);
    assert.equal(stored.get(last), 'older', `writes: ${started.join(', ')}`);
    // The retry of the install still lands after it.
    storeDown = false;
    assert.deepEqual(await queue.flush(5_000), { written: 1, notWritten: 0 });
    assert.equal(stored.get(last), 'install', `writes: ${started.join(', ')}`);
  });
});
