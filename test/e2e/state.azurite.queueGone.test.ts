// The Azure Storage state store when its outbox queue is removed under it (an operator, a cleanup
// script), against Azurite on loopback. Queue Storage names what is missing in its error code:
// MessageNotFound (404) and PopReceiptMismatch (400) say a lease was lost, QueueNotFound (404)
// and QueueBeingDeleted (409) say the queue itself is gone
// (https://learn.microsoft.com/rest/api/storageservices/queue-service-error-codes). So a call on
// a gone queue is an outage (the intake answers 503), never "the lease was lost" (a holder would
// take it that another instance has the row), and a later call creates the queue again, as a
// later call creates a gone container again (state.azurite.container.test.ts).

import { QueueClient } from '@azure/storage-queue';
import { strict as assert } from 'node:assert';
import { NotificationStore } from '../../src/notifications/store';
import { AzureState, outboxQueueName } from '../../src/state/azure';
import { azuriteSession } from '../fixtures/azuriteSession';
import { assertGone, outcome, roleEvent } from '../fixtures/storeGone';

const assertQueueGone = (result: unknown, what: string): void => assertGone(result, 'QueueNotFound', what);

describe('Azure Storage state store on Azurite, its outbox queue removed', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  /** A store whose queue exists and is known to (cached by) the store. */
  async function storeWithQueue() {
    const container = session.freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container });
    await state.check();
    const removeQueue = () => new QueueClient(session.connectionString, outboxQueueName(container)).delete();
    return { state, removeQueue };
  }

  it('the intake fails (503) once, and the next event is stored with its row: the queue is created again', async () => {
    const { state, removeQueue } = await storeWithQueue();
    await removeQueue();
    const store = new NotificationStore(state);
    assertQueueGone(await outcome(store.accept(roleEvent('ev-q-1'))), 'accept()');
    assert.equal(await store.accept(roleEvent('ev-q-1')), 'created');
    const row = await state.outbox.lease(60_000);
    assert.equal(row?.id, 'ev-q-1', 'the row was queued in the queue created again');
  });

  it('every outbox call on a gone queue is StateUnavailableError, and the next call creates it again', async () => {
    const { state, removeQueue } = await storeWithQueue();
    const { outbox } = state;
    const calls: Record<string, () => Promise<unknown>> = {
      enqueue: () => outbox.enqueue('e', { eventId: 'e' }),
      lease: () => outbox.lease(60_000),
      size: () => outbox.size(),
    };
    for (const [what, call] of Object.entries(calls)) {
      await state.check(); // creates the queue again if the previous call found it gone
      await removeQueue();
      assertQueueGone(await outcome(call()), what);
    }
    await outbox.enqueue('e', { eventId: 'e' });
    assert.equal(await outbox.size(), 1);
  });

  it('a lease held when the queue goes is an outage to extend, complete and release, not a lease lost', async () => {
    const { state, removeQueue } = await storeWithQueue();
    const { outbox } = state;
    const calls: Record<string, (held: NonNullable<Awaited<ReturnType<typeof outbox.lease>>>) => Promise<unknown>> = {
      extend: (held) => outbox.extend(held, 60_000),
      complete: (held) => outbox.complete(held),
      release: (held) => outbox.release(held, 0),
    };
    for (const [what, call] of Object.entries(calls)) {
      await state.check();
      await outbox.enqueue(what, { eventId: what });
      const held = await outbox.lease(60_000);
      assert.equal(held?.id, what);
      await removeQueue();
      assertQueueGone(await outcome(call(held)), what);
    }
  });

  it('a health check on a gone queue fails, and the next one creates it again', async () => {
    const { state, removeQueue } = await storeWithQueue();
    await removeQueue();
    assertQueueGone(await outcome(state.check()), 'check()');
    await state.check();
  });
});
