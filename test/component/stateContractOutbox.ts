// The storage contract on the outbox, part of stateContract.ts (run against SQLite and Azurite):
// every item goes to one leaser at a time, a lease that runs out or an item released makes it due
// again (counting the attempt), and a stale receipt changes nothing.

import { strict as assert } from 'node:assert';
import type { ContractOptions, StateUnderTest } from './stateContract';

/** Polls `probe` until it gives a value: for what ends on the service's clock, not ours. */
async function eventually<T>(probe: () => Promise<T | null>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function outboxContract(under: () => StateUnderTest, options: ContractOptions): void {
  const item = (n: number) => ({ eventId: `event-${n}` });

  it('leases, completes and counts', async () => {
    const h = under();
    const q = h.state.outbox;
    assert.equal(await q.size(), 0);
    for (const n of [1, 2, 3]) await q.enqueue(`e${n}`, item(n));
    assert.equal(await q.size(), 3);
    const lease = await q.lease(60_000);
    assert.ok(lease);
    assert.equal(lease.attempts, 1);
    assert.deepEqual(lease.payload, { eventId: `event-${lease.id.slice(1)}` });
    assert.equal(await q.size(), 3, 'a leased item still counts');
    assert.equal(await q.complete(lease), true);
    assert.equal(await q.size(), 2);
    assert.equal(await q.complete(lease), false, 'completing twice is refused');
  });

  it('gives every item to exactly one of many concurrent leasers', async () => {
    const h = under();
    const q = h.state.outbox;
    const ids = Array.from({ length: 20 }, (_, n) => `e${n}`);
    for (const [n, id] of ids.entries()) await q.enqueue(id, item(n));
    const taken: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let lease = await q.lease(60_000); lease; lease = await q.lease(60_000)) taken.push(lease.id);
      }),
    );
    assert.deepEqual([...taken].sort(), [...ids].sort());
  });

  it('makes an item due again when its lease runs out, and counts the attempt', async () => {
    const h = under();
    const q = h.state.outbox;
    await q.enqueue('e1', item(1));
    const first = (await q.lease(1_000))!;
    h.advance(1_000);
    const second = await eventually(() => q.lease(60_000), 'the expired lease ends');
    assert.equal(second.id, 'e1');
    assert.equal(second.attempts, 2);
    assert.equal(await q.lease(60_000), null, 'held by the second lease');
    // The first holder's receipt is stale now: nothing it does counts.
    assert.equal(await q.complete(first), false);
    assert.equal(await q.release(first, 0), false);
    assert.equal(await q.extend(first, 60_000), null);
    assert.equal(await q.lease(60_000), null, 'the stale release gave nothing back');
    assert.equal(await q.complete(second), true);
    assert.equal(await q.size(), 0);
  });

  it('hides a released item for its delay, then gives it out again', async () => {
    const h = under();
    const q = h.state.outbox;
    await q.enqueue('e1', item(1));
    const held = (await q.lease(60_000))!;
    assert.equal(await q.release(held, 60_000), true);
    assert.equal(await q.lease(60_000), null, 'not due before the delay');
    assert.equal(await q.size(), 1);
  });

  it('gives a released item out again after a short delay', async () => {
    const h = under();
    const q = h.state.outbox;
    await q.enqueue('e1', item(1));
    const held = (await q.lease(60_000))!;
    assert.equal(await q.release(held, 1_000), true);
    h.advance(1_000);
    const again = await eventually(() => q.lease(60_000), 'the release delay ends');
    assert.equal(again.id, 'e1');
    assert.equal(again.attempts, 2);
    assert.equal(await q.complete(again), true);
  });

  it('extends a lease, and the extended lease is the one that completes', async () => {
    const h = under();
    const q = h.state.outbox;
    await q.enqueue('e1', item(1));
    const held = (await q.lease(1_000))!;
    const longer = await q.extend(held, 60_000);
    assert.ok(longer);
    h.advance(1_000);
    assert.equal(await q.lease(60_000), null, 'the extension holds past the first lease');
    // Shortening through extend shows that it sets the lease (and gives a receipt that works).
    const shorter = (await q.extend(longer, 1_000))!;
    assert.ok(shorter);
    h.advance(1_000);
    const other = await eventually(() => q.lease(60_000), 'the shortened lease ends');
    assert.equal(other.id, 'e1');
    assert.equal(await q.complete(shorter), false, 'lost to the other holder');
    assert.equal(await q.complete(other), true);
  });

  it('completes with the receipt of an extended lease', async () => {
    const h = under();
    const q = h.state.outbox;
    await q.enqueue('e1', item(1));
    const held = (await q.lease(60_000))!;
    const renewed = (await q.extend(held, 60_000))!;
    const again = (await q.extend(renewed, 60_000))!;
    assert.equal(await q.complete(again), true);
    assert.equal(await q.size(), 0);
  });

  it('does not give out an item before its due time', async () => {
    const h = under();
    const q = h.state.outbox;
    await q.enqueue('later', item(1), h.now() + 60 * 60_000);
    await q.enqueue('soon', item(2), h.now() + 1_000);
    assert.equal(await q.lease(60_000), null);
    assert.equal(await q.size(), 2);
    h.advance(1_000);
    const soon = await eventually(() => q.lease(60_000), 'the due time comes');
    assert.equal(soon.id, 'soon');
    assert.equal(await q.lease(60_000), null, 'the later item is still not due');
  });

  if (options.dedupesEnqueue) {
    it('ignores an id that is already queued', async () => {
      const h = under();
      const q = h.state.outbox;
      await q.enqueue('e1', item(1));
      await q.enqueue('e1', item(1));
      assert.equal(await q.size(), 1);
    });
  }
}
