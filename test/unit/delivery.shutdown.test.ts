// Delivery after stop() gave up waiting: a row whose handling was still on its way to the send when
// the shutdown aborted (here: inside the claim write) must not start the send. Nobody waits for it
// any more (stop() returns after a short grace and the store closes), so a card it posted could
// not be recorded and the next instance would post it again once the claim lapsed.

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';

describe('notification delivery at shutdown', () => {
  const session = deliverySession();
  const { instance } = session;

  it('starts no send once the shutdown has aborted the work under way', async () => {
    const sends: boolean[] = [];
    const send: SendCard = (_r, _c, signal) => {
      sends.push(signal.aborted);
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    const { store, state, worker } = await instance(send, { sendTimeoutMs: 2_000 });
    const shutdown = (worker as unknown as { loop: { signal: AbortSignal } }).loop.signal;
    const aborted = new Promise<void>((r) => shutdown.addEventListener('abort', () => r()));
    // The claim write is slow: it ends only after the shutdown has aborted the handling.
    let claiming!: () => void;
    const inClaim = new Promise<void>((r) => (claiming = r));
    const claim = store.claim.bind(store);
    store.claim = async (...args) => {
      claiming();
      await aborted;
      return claim(...args);
    };
    await store.accept(roleEvent('e1'));
    worker.start();
    await inClaim;
    await worker.stop(1);
    assert.deepEqual(sends, [], 'no send was started after the shutdown');
    await eventually(async () => (await store.get('e1'))?.sending === undefined, 'the claim let go');
    assert.equal((await store.get('e1'))?.state, 'queued', 'left for the next instance');
    assert.ok(await state.outbox.lease(1000), 'the row is due again at once');
  });
});
