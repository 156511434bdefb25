// A row whose handling throws on every pass, on the Azure Storage state store (Queue Storage
// outbox) against Azurite: the lease count is the message's dequeueCount, which Queue Storage
// returns with each message (https://learn.microsoft.com/en-us/rest/api/storageservices/get-messages),
// so the event is dead-lettered as undeliverable on its maxRowLeases-th lease, and its message
// deleted. Before, the message came back after every visibility timeout, for ever.

import { strict as assert } from 'node:assert';
import { NotificationStore } from '../../src/notifications/store';
import { azuritePoisonRowSession, poisonEvent, until } from '../fixtures/azuritePoisonRow';
import { recordingLogger } from '../fixtures/recordingLogger';

describe('notification delivery of a row that fails on every pass, on Azure Storage (Azurite)', function () {
  this.timeout(60_000);
  const session = azuritePoisonRowSession();

  it("dead-letters the event on the message's third dequeue and deletes the message", async () => {
    const state = session.state();
    const store = new NotificationStore(state);
    const log = recordingLogger();
    let lookups = 0;
    const worker = session.worker(state, store, log.logger, {
      // An unexpected fault in the worker for this one row, at a seam the worker has.
      channelReference: async () => {
        lookups++;
        throw new TypeError('unexpected');
      },
    });
    await store.accept(poisonEvent({ channelId: '19:poison@thread.tacv2' }));
    worker.start();
    const deadline = Date.now() + 30_000;
    await until(async () => (await store.get('poison'))?.state !== 'queued', 'the event to settle', deadline);
    const record = await store.get('poison');
    assert.equal(record?.state, 'undeliverable');
    assert.match(record?.reason ?? '', /failed while handling this event, 3 times/);
    assert.equal(lookups, 3);
    assert.equal(await state.outbox.size(), 0, 'the message deleted');
    assert.deepEqual(
      log.lines.filter((l) => l.event === 'notification.deadLetter').map((l) => [l.level, l.eventId, l.leases]),
      [['error', 'poison', 3]],
    );
  });
});
