// The delivery worker's outcome for one card: it sends under a lease, classifies Teams' answer and
// writes the outcome. Delivered with the activity id (the card bound to its item, its copy
// recorded), retried on 429/412/502/503/504 no sooner than Retry-After, refused sends never
// delivered (403/404 forget the recipient), a lasting 429 given up after the attempt budget, a hung
// send ended at its deadline, and one conversation paced with nothing lost.
// Teams' throttling guidance: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import { ItemCopies } from '../../src/alerts/itemCopies';
import { SendCard } from '../../src/notifications/delivery';
import { CardBindings } from '../../src/state/cardBindings';
import {
  REQUEST,
  USER,
  connector,
  deliverySession,
  eventually,
  observeReleases,
  roleEvent,
  teamsError,
} from '../fixtures/deliverySession';

describe('notification delivery', () => {
  const session = deliverySession();
  const { instance } = session;

  it('delivers with the activity id, binds the card to its item and completes the row', async () => {
    const c = connector();
    const { store, state, worker, events } = await instance(c.send);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
    const rec = await store.get('e1');
    assert.equal(rec?.state, 'delivered');
    assert.equal(rec?.activityId, 'activity-1');
    assert.equal(rec?.conversationId, 'a:personal');
    assert.equal(rec?.attempts, 1);
    assert.equal(await state.outbox.size(), 0);
    assert.ok(events().includes('notification.delivered'));
    const items = await new CardBindings(state.records).itemsOf('a:personal', 'activity-1');
    assert.deepEqual(items, [{ operation: 'cancelRoleRequest', ids: { requestId: REQUEST } }]);
  });

  it("records the posted card as one more copy of its item, in the recipient's chat", async () => {
    const c = connector();
    const { store, state, worker } = await instance(c.send, (s) => ({ copies: new ItemCopies(s.records) }));
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
    const copies = await new ItemCopies(state.records).copiesOf({
      operation: 'cancelRoleRequest',
      ids: { requestId: REQUEST },
    });
    assert.deepEqual(copies, [{ conversationId: 'a:personal', activityId: 'activity-1', userId: USER }]);
  });

  it('retries 429, 412, 502, 503 and 504, waiting at least Retry-After in the outbox', async () => {
    const c = connector([teamsError(429, '3'), teamsError(412), teamsError(502), teamsError(503), teamsError(504)]);
    const { store, state, worker } = await instance(c.send);
    const releases = observeReleases(state);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => releases.length === 1, 'the first attempt');
    assert.ok(releases[0]! >= 3000, 'Retry-After honoured');
    // The row is not due until the clock moves on.
    assert.equal(await state.outbox.lease(1), null, 'the row waits out Retry-After');
    session.offset += 3000;
    worker.kick();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'delivery');
    const rec = await store.get('e1');
    assert.equal(rec?.attempts, 6);
    assert.equal(c.sent.length, 1);
    assert.equal(await state.outbox.size(), 0);
  });

  it('another row of the event due while Retry-After is waited out waits the rest of it, unsent', async () => {
    const c = connector([teamsError(429, '3')]);
    const { store, state, worker } = await instance(c.send);
    const releases = observeReleases(state);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => releases.length === 1, 'the throttled attempt');
    // A second row of the same event (Azure queues may hold a duplicate), due now.
    await state.outbox.enqueue('e1-again', { eventId: 'e1' });
    worker.kick();
    await eventually(() => releases.length === 2, 'the second row given back');
    assert.ok(releases[1]! > 0 && releases[1]! <= 3000, `it waits what is left (${releases[1]} ms)`);
    assert.equal((await store.get('e1'))?.attempts, 1, 'no send made for it');
  });

  it('a refused send is never recorded as delivered: 403/404 forget the recipient, 400 does not', async () => {
    for (const status of [403, 404, 400]) {
      const c = connector([teamsError(status)]);
      const { store, references, worker, events } = await instance(c.send);
      const id = `refused-${status}`;
      await store.accept(roleEvent(id));
      worker.start();
      await eventually(async () => (await store.get(id))?.state !== 'queued', 'the outcome');
      const rec = await store.get(id);
      assert.equal(rec?.state, 'undeliverable', `${status}`);
      assert.equal(rec?.activityId, undefined);
      assert.match(String(rec?.reason), new RegExp(String(status)));
      assert.ok(!events().includes('notification.delivered'));
      assert.equal(c.sent.length, 0);
      assert.equal((await references.forUser(USER)) === null, status !== 400, `reference after ${status}`);
      await worker.stop(100);
    }
  });

  it('gives up on a lasting 429 after the attempt budget, saying why', async () => {
    const c = connector(Array.from({ length: 50 }, () => teamsError(429)));
    const { store, worker, events } = await instance(c.send, { maxAttempts: 4 });
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
    const rec = await store.get('e1');
    assert.equal(rec?.state, 'undeliverable');
    assert.equal(rec?.attempts, 4);
    assert.match(String(rec?.reason), /after 4 attempts \(last: 429\)/);
    assert.ok(!events().includes('notification.delivered'));
  });

  it('a send that returns no activity id is not delivered', async () => {
    const { store, worker } = await instance(async () => undefined);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the outcome');
    assert.equal((await store.get('e1'))?.state, 'undeliverable');
  });

  it('a hung send ends at its deadline and is retried', async () => {
    let calls = 0;
    const send: SendCard = (_r, _c, signal) => {
      calls++;
      if (calls === 1) return new Promise(() => undefined); // hangs and ignores the signal
      assert.equal(signal.aborted, false);
      return Promise.resolve('activity-2');
    };
    const { store, worker } = await instance(send, { sendTimeoutMs: 50 });
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'delivery');
    assert.equal((await store.get('e1'))?.attempts, 2);
  });

  it('paces one conversation: everything is delivered, the extra sends wait in the outbox', async () => {
    const c = connector();
    const { store, worker } = await instance(c.send);
    for (let i = 0; i < 9; i++) await store.accept(roleEvent(`p${i}`));
    worker.start();
    await eventually(async () => {
      for (let i = 0; i < 9; i++) if ((await store.get(`p${i}`))?.state !== 'delivered') return false;
      return true;
    }, 'all nine delivered');
    assert.equal(c.sent.length, 9);
  });
});
