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
import {
  connector,
  deliverySession,
  eventually,
  failNextFinish,
  handleNextRow,
  roleEvent,
} from '../fixtures/deliverySession';

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

  it('keeps the claim on the event while it tries again, so a second row of the event does not post the card again', async () => {
    // The send and the writes against a failing store outlast the claim taken at the send (60 s):
    // each write is renewed for another 60 s, so the event's second row (a duplicate POST queues
    // one) keeps waiting while the first row's handling still writes its outcome.
    const a = connector();
    const b = connector();
    const waits: number[] = [];
    const A = await instance(a.send, { leaseMs: LEASE_MS, outcomeRetryMs: (n) => (waits.push(n), 300) });
    const B = await instance(b.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 10 });
    failNextFinish(A.store, 'before', 2);
    await A.store.accept(roleEvent('e1'));
    await A.state.outbox.enqueue('e1-dup', { eventId: 'e1' });
    const first = await A.state.outbox.lease(LEASE_MS);
    assert.equal(first?.id, 'e1');
    const handling = (A.worker as unknown as Handler).handle(first);

    // 40 s after the send, during A's first wait: B finds the claim live and gives the row back.
    await eventually(() => waits.length === 1, 'the first failed write');
    assert.equal(a.sent.length, 1);
    session.offset += 40_000;
    await handleNextRow(B, LEASE_MS);
    // 80 s after the send, during A's second wait (its lease and claim renewed before its second
    // write): the second row is due again and finds the claim still A's.
    await eventually(() => waits.length === 2, 'the second failed write');
    session.offset += 40_000;
    const dup = await B.state.outbox.lease(LEASE_MS);
    assert.equal(dup?.id, 'e1-dup', "the second row is due, not A's");
    await (B.worker as unknown as Handler).handle(dup);
    await handling;

    assert.equal(a.sent.length + b.sent.length, 1, 'the card is in the chat once');
    const record = await A.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1');
    assert.equal(record?.attempts, 1, 'no holder was taken for dead');
    // The second row, due when the claim would have ended, finds the event settled and goes.
    session.offset += LEASE_MS + 1;
    await handleNextRow(B, LEASE_MS, false);
    assert.equal(await A.state.outbox.size(), 0);
    assert.equal(b.sent.length, 0);
  });

  it('stops trying once another holder took the claim, the post remembered for the row next pass', async () => {
    const a = connector();
    const waits: number[] = [];
    const A = await instance(a.send, { leaseMs: LEASE_MS, outcomeRetryMs: (n) => (waits.push(n), 300) });
    failNextFinish(A.store, 'before', 1);
    await A.store.accept(roleEvent('e1'));
    const first = await A.state.outbox.lease(LEASE_MS);
    assert.ok(first);
    const handling = (A.worker as unknown as Handler).handle(first).then(
      () => 'ended',
      () => 'failed',
    );
    await eventually(() => waits.length === 1, 'the failed write');
    // The claim expired with A still waiting (a send and a write slower than their deadlines),
    // and another row's holder took it: that holder may be sending now.
    session.offset += LEASE_MS + 1;
    const taken = await A.store.claim('e1', 'another-holder', Date.now() + session.offset, LEASE_MS);
    assert.equal(taken.kind, 'claimed');
    assert.equal(await handling, 'failed');
    const record = await A.store.get('e1');
    assert.equal(record?.state, 'queued', 'A wrote nothing over the other holder');
    assert.equal(record?.sending?.holder, 'another-holder');
    assert.equal(A.worker['unrecorded'].size, 1, 'the post is remembered for the next pass');
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
