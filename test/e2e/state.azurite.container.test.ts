// The Azure Storage state store when its container is removed under it (an operator, a cleanup
// script), against Azurite on loopback. A 404 or 409 alone does not say what is missing: the
// service names it in its error code (BlobNotFound and BlobAlreadyExists answer a condition,
// ContainerNotFound and ContainerBeingDeleted do not,
// https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes). So a call on a
// gone container is an outage (the intake answers 503), never "it exists" (the intake would
// answer 202 "duplicate" with nothing stored, and turn de-duplication would drop every message as
// a redelivery), and a later call creates the container again (empty: what it held is gone).

import { ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { NotificationStore } from '../../src/notifications/store';
import { AzureState } from '../../src/state/azure';
import { TurnDedup } from '../../src/state/turnDedup';
import { azuriteSession } from '../fixtures/azuriteSession';
import { assertGone, outcome, roleEvent } from '../fixtures/storeGone';

const assertContainerGone = (result: unknown, what: string): void => assertGone(result, 'ContainerNotFound', what);

describe('Azure Storage state store on Azurite', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  /** A store whose container exists and is known to (cached by) the store. */
  async function storeWithContainer() {
    const container = session.freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container });
    await state.check();
    const removeContainer = () => new ContainerClient(session.connectionString, container).delete();
    return { state, removeContainer };
  }

  it('a container that is gone makes the intake fail (503), not answer "duplicate" with nothing stored', async () => {
    const { state, removeContainer } = await storeWithContainer();
    await removeContainer();
    const store = new NotificationStore(state);
    assertContainerGone(await outcome(store.accept(roleEvent('ev-gone-1'))), 'accept()');
    // The next call finds the container created again, empty, and stores the event for real.
    assert.equal(await store.accept(roleEvent('ev-gone-1')), 'created');
    assert.equal((await store.get('ev-gone-1'))?.state, 'queued');
  });

  it('a container that is gone is an error for turn de-duplication, not "seen before" (which drops every message)', async () => {
    const { state, removeContainer } = await storeWithContainer();
    const turns = new TurnDedup(state.records);
    assert.equal(await turns.firstTime('conv', 'activity-0'), true);
    await removeContainer();
    assertContainerGone(await outcome(turns.firstTime('conv', 'activity-1')), 'firstTime()');
    assert.equal(await turns.firstTime('conv', 'activity-1'), true, 'the container is created again');
    assert.equal(await turns.firstTime('conv', 'activity-1'), false, 'and de-duplicates again');
  });

  it('every records call on a gone container is StateUnavailableError, and the next call creates it again', async () => {
    const { state, removeContainer } = await storeWithContainer();
    const { records } = state;
    const version = (await records.create('k', 1, 'none'))!;
    const calls: Record<string, () => Promise<unknown>> = {
      get: () => records.get('k'),
      create: () => records.create('k', 2, 'none'),
      replace: () => records.replace('k', 2, version, 'none'),
      put: () => records.put('k', 2, 'none'),
      delete: () => records.delete('k'),
      'delete at a version': () => records.delete('k', version),
      sweep: () => state.sweepExpired(),
    };
    for (const [what, call] of Object.entries(calls)) {
      await state.check(); // creates the container again if the previous call found it gone
      await removeContainer();
      assertContainerGone(await outcome(call()), what);
    }
    assert.equal(await records.get('k'), null, 'the container came back empty');
    assert.ok(await records.create('k', 3, 'none'));
    assert.equal((await records.get('k'))?.value, 3);
  });

  it('a health check on a gone container fails, and the next one creates it again', async () => {
    const { state, removeContainer } = await storeWithContainer();
    await removeContainer();
    assertContainerGone(await outcome(state.check()), 'check()');
    await state.check();
  });
});
