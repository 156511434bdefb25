// An install's immediate write fails, and the older capture of the same key a batch took off the
// queue before it is then written (writeBehind.order.test.ts) and fails too: one run of failures of
// one key. It is told once, when it starts (REFERENCE_WRITE_RETRYING), and the install's retry keeps
// the run's first failure time, so its retry window is not restarted by the older capture's failure.

import { strict as assert } from 'node:assert';
import type { ReferenceWriteError } from '../../src/state/referenceWriteErrors';
import { WRITE_CONCURRENCY, WriteBehind } from '../../src/state/referenceWrites';

function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

describe('write-behind: an older capture failing after the install failed', () => {
  it('is one run of failures: told once, and given up as the install would have been', async () => {
    let clock = 1_000_000;
    const gate = signal();
    const started: string[] = [];
    const allStarted = signal();
    const told: string[] = [];
    const queue = new WriteBehind<string>({
      flushDelayMs: 0,
      now: () => clock,
      retry: { firstMs: 60_000, forMs: 10 * 60_000 },
      onError: (e: ReferenceWriteError) => void told.push(e.code),
      write: async (key, value) => {
        started.push(`${key}=${value}`);
        if (started.length === WRITE_CONCURRENCY) allStarted.resolve();
        if (value === 'older') await gate.promise;
        if (key === last) throw new Error('store busy');
      },
    });
    const keys = Array.from({ length: WRITE_CONCURRENCY + 1 }, (_, i) => `k${i}`);
    const last = `k${WRITE_CONCURRENCY}`;
    for (const k of keys) queue.queue(k, 'older');
    await allStarted.promise;
    assert.equal(await queue.writeNow(last, 'install'), false);
    // The older capture's write fails five minutes into the install's run of failures.
    clock += 5 * 60_000;
    gate.resolve();
    await new Promise((r) => setImmediate(r));
    await queue.settled(last);
    assert.deepEqual(told, ['REFERENCE_WRITE_RETRYING'], `writes: ${started.join(', ')}`);
    // Ten minutes after the install's first failure, its retry failing again gives it up.
    clock += 5 * 60_000;
    await queue.flush(5_000);
    assert.ok(told.includes('REFERENCE_WRITE_ABANDONED'), told.join(', '));
  });
});
