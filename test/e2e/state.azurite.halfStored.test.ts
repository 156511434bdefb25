// On Azure Storage (Azurite), as on SQLite (test/component/intakeHalfStored.test.ts): the record
// left by a POST answered 503 (its row and the delete of its record both failed, a storage outage)
// is not an accepted event, and expires after its short lifetime; the same event posted again marks
// it, and then it no longer expires. The store's clock is moved by hand (`storageTime`).

import { strict as assert } from 'node:assert';
import { EVENT_RETENTION_MS, ROW_PENDING_TTL_MS } from '../../src/notifications/eventRetention';
import { parseEvent } from '../../src/notifications/events';
import { rowPending } from '../../src/notifications/records';
import { NotificationStore } from '../../src/notifications/store';
import { AzureState } from '../../src/state/azure';
import { StateUnavailableError } from '../../src/state/port';
import { azuriteSession } from '../fixtures/azuriteSession';

const roleEvent = (eventId: string) => {
  const parsed = parseEvent({
    eventId,
    kind: 'roleRequest',
    target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
    requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  });
  assert.ok(parsed.ok);
  return parsed.event;
};

const outage = () => Promise.reject(new StateUnavailableError('state store: call failed (ServerBusy)'));

describe('notification store on Azure Storage (Azurite): what a POST answered 503 left', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  let clock: number;
  let state: AzureState;
  beforeEach(() => {
    clock = Date.parse('2026-03-02T09:00:00Z');
    state = new AzureState({
      connectionString: session.connectionString,
      container: session.freshContainer(),
      storageTime: () => clock,
    });
  });
  afterEach(() => state.close());

  const failingStore = () =>
    new NotificationStore({
      records: {
        get: (k) => state.records.get(k),
        create: (k, v, e) => state.records.create(k, v, e),
        put: (k, v, e) => state.records.put(k, v, e),
        replace: (k, v, ver, e) => state.records.replace(k, v, ver, e),
        delete: outage,
      },
      outbox: {
        enqueue: outage,
        lease: (ms) => state.outbox.lease(ms),
        extend: (l, ms) => state.outbox.extend(l, ms),
        complete: (l) => state.outbox.complete(l),
        release: (l, ms) => state.outbox.release(l, ms),
        size: () => state.outbox.size(),
      },
      now: state.now,
    });

  it('is not accepted, and expires and is swept after its short lifetime', async () => {
    await assert.rejects(failingStore().accept(roleEvent('az-1')), StateUnavailableError);
    const store = new NotificationStore(state);
    const left = await store.get('az-1');
    assert.ok(left && rowPending(left), 'left unmarked: GET answers 404');
    clock += ROW_PENDING_TTL_MS;
    assert.equal(await store.get('az-1'), null);
    assert.ok((await state.sweepExpired()) >= 1);
  });

  it('posted again, is marked and then lives until it is delivered', async () => {
    await assert.rejects(failingStore().accept(roleEvent('az-2')), StateUnavailableError);
    const store = new NotificationStore(state);
    assert.equal(await store.accept(roleEvent('az-2')), 'duplicate');
    assert.equal(await state.outbox.size(), 1);
    clock += ROW_PENDING_TTL_MS + EVENT_RETENTION_MS;
    const record = await store.get('az-2');
    assert.equal(record?.state, 'queued');
    assert.equal(record?.enqueued, true);
  });
});
