// A POST answered 503 may leave its outbox row behind (its record deleted: nothing accepted), and
// the sender sends the event again. On SQLite the outbox holds one row per id, so that second
// POST's row is the one left behind: queueing it again changes nothing. If the worker read the
// event's record just before the second POST created it, found none, and removed the row just
// after, the event was answered 202 with no row left: queued for ever, never sent. A worker that
// removes the row of an event with no record looks again once it is gone, and queues the row again
// for an event accepted meanwhile.

import { strict as assert } from 'node:assert';
import { connector, deliverySession, handleNextRow, roleEvent } from '../fixtures/deliverySession';
import type { NotificationStore } from '../../src/notifications/store';

type Read = NotificationStore['get'];

describe('notification delivery of a row whose event is accepted while the row is being removed', () => {
  const session = deliverySession();

  it('keeps a row for the event accepted after the worker found no record', async () => {
    const { send, sent } = connector();
    const a = await session.instance(send);
    // What a POST answered 503 left: its row, no record.
    await a.state.outbox.enqueue('e1', { eventId: 'e1' });
    // The worker's read of the record finds none; the sender's second POST lands right after.
    let accepted: Promise<unknown> | undefined;
    const get: Read = a.store.get.bind(a.store);
    a.store.get = async (id) => {
      const found = await get(id);
      accepted ??= a.store.accept(roleEvent('e1'));
      await accepted;
      return found;
    };
    await handleNextRow(a, 60_000, false);
    assert.equal(await accepted, 'created', 'the second POST was accepted (202)');
    a.store.get = get;
    assert.equal((await a.store.get('e1'))?.state, 'queued');
    assert.equal(await a.state.outbox.size(), 1, 'the accepted event still has its row');
    await handleNextRow(a, 60_000, false);
    assert.deepEqual(sent, ['a:personal']);
    assert.equal((await a.store.get('e1'))?.state, 'delivered');
  });
});
