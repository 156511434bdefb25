// A card Teams accepted whose outcome write failed once (a storage blip) on an instance that keeps
// running: the README promises that several instances deliver an event once, and that only a send
// whose instance stopped before its outcome was written is sent again. The post was remembered in
// that instance's memory only, so when the row's lease ran out another instance took the row,
// found the event still queued with its claim expired, and posted the card a second time. The
// worker now writes the outcome again while it still holds the row (renewing its lease), so the
// other instances never get to send it.

import { strict as assert } from 'node:assert';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import { AzureLikeQueue } from '../fixtures/azureLikeQueue';
import { connector, deliverySession, eventually, failNextFinish, roleEvent } from '../fixtures/deliverySession';

type Handler = { handle(r: unknown): Promise<void> };

const LEASE_MS = 60_000;

describe('notification delivery: an outcome write that fails once', () => {
  const session = deliverySession();
  const { instance } = session;

  it('is written again by the instance that posted, so no other instance posts the card a second time', async () => {
    const a = connector();
    const b = connector();
    const A = await instance(a.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 10 });
    const B = await instance(b.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 10 });
    failNextFinish(A.store, 'before');
    await A.store.accept(roleEvent('e1'));

    const first = await A.state.outbox.lease(LEASE_MS);
    assert.ok(first);
    await (A.worker as unknown as { handle(r: unknown): Promise<void> }).handle(first).catch(() => undefined);
    assert.equal(a.sent.length, 1, 'A posted the card');

    // The lease and A's claim run out; B takes whatever row is left, as its loop would.
    session.offset += LEASE_MS + 1;
    const left = await B.state.outbox.lease(LEASE_MS);
    if (left) await (B.worker as unknown as { handle(r: unknown): Promise<void> }).handle(left).catch(() => undefined);

    assert.equal(a.sent.length + b.sent.length, 1, 'the card is in the chat once');
    const record = await A.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1', 'the record names the card that was posted');
    assert.equal(await A.state.outbox.size(), 0, 'the row is done');
  });

  it('completes the row through its renewed lease where each renewal gives a new receipt (Azure Queue Storage)', async () => {
    // https://learn.microsoft.com/rest/api/storageservices/update-message: the old pop receipt
    // stops working once the message is updated.
    const clock = () => Date.now() + session.offset;
    const outbox = new AzureLikeQueue<{ eventId: string }>(clock);
    const a = connector();
    const A = await instance(a.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 10 }, outbox);
    failNextFinish(A.store, 'before', 2);
    await A.store.accept(roleEvent('e1'));
    const row = await outbox.lease(LEASE_MS);
    assert.ok(row);
    await (A.worker as unknown as Handler).handle(row);
    assert.equal(a.sent.length, 1);
    assert.equal((await A.store.get('e1'))?.state, 'delivered');
    assert.equal(await outbox.size(), 0, 'the row was completed with the receipt of its last renewal');
  });

  it('stops trying at shutdown, the post remembered for the row next pass', async () => {
    const a = connector();
    const A = await instance(a.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 60_000 });
    failNextFinish(A.store, 'before', OUTCOME_WRITE_TRIES);
    await A.store.accept(roleEvent('e1'));
    A.worker.start();
    await eventually(() => a.sent.length === 1, 'the post');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    // stop() gives the handling 10 ms, then aborts it: the wait before the next write ends at once.
    await A.worker.stop(10);
    assert.ok(Date.now() - started < 2_000, 'stop() kept its deadline');
    const loop = (A.worker as unknown as { loop: { inFlight: Set<unknown> } }).loop;
    assert.equal(loop.inFlight.size, 0, 'the handling ended without waiting for its next try');
    assert.equal(a.sent.length, 1);
    assert.equal((await A.store.get('e1'))?.state, 'queued');
    assert.equal(A.worker['unrecorded'].size, 1, 'the post is remembered for the next pass');
  });
});
