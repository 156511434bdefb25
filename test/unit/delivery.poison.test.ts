// Poison rows: an event whose stored conversation reference is unreadable (not an object, or a
// conversation without an id) is settled undeliverable with a reason at its first pass, without a
// send, and the event queued behind it is delivered. Before, an unreadable record made every pass
// of its row throw (the row came back after each lease, for ever, the event queued for ever), and
// a conversation without an id was sent to and retried as if Teams had not answered.

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';

const BROKEN_NULL = 'b1b2c3d4-1111-4aaa-8bbb-0000000000b1';
const BROKEN_NO_ID = 'c1b2c3d4-1111-4aaa-8bbb-0000000000c1';

describe('notification delivery of poison rows', () => {
  const session = deliverySession();
  const { instance } = session;

  it('settles an event whose stored reference is unreadable as undeliverable, unsent, and delivers the next', async () => {
    const sentTo: string[] = [];
    // As the connector does with a conversation it cannot address: a failure with no status.
    const send: SendCard = async (reference) => {
      const id = reference.conversation?.id;
      if (typeof id !== 'string' || !id) throw new TypeError('Cannot read properties of undefined');
      sentTo.push(id);
      return `activity-${sentTo.length}`;
    };
    const { store, state, worker } = await instance(send, { maxAttempts: 3 });
    await state.records.put(`ref:user:${BROKEN_NULL}`, null, 'none');
    await state.records.put(
      `ref:user:${BROKEN_NO_ID}`,
      { reference: { serviceUrl: 'https://smba.example/', conversation: { conversationType: 'personal' } } },
      'none',
    );
    await store.accept(roleEvent('poison-null', BROKEN_NULL));
    await store.accept(roleEvent('poison-no-id', BROKEN_NO_ID));
    await store.accept(roleEvent('good'));
    worker.start();
    await eventually(async () => (await store.get('good'))?.state === 'delivered', 'the good event delivered');
    await eventually(
      async () =>
        (await store.get('poison-null'))?.state !== 'queued' && (await store.get('poison-no-id'))?.state !== 'queued',
      'both poison events settled',
    );
    for (const id of ['poison-null', 'poison-no-id']) {
      const rec = await store.get(id);
      assert.equal(rec?.state, 'undeliverable', id);
      assert.equal(rec?.attempts, 0, `${id}: nothing was sent`);
      assert.match(rec?.reason ?? '', /installed Governance Bot/, id);
    }
    assert.deepEqual(sentTo, ['a:personal'], 'only the good event was sent');
    await eventually(async () => (await state.outbox.size()) === 0, 'every row done');
  });
});
