// The same event posted twice at once, on two instances (a sender's retry after a timeout): the
// first creates the record and queues its row; the second finds the record without the mark that
// its row is stored, queues one and marks the record. When the first one's row cannot be queued,
// it deletes the record it created, but only at the version it created: a mark written by the
// second has changed it, so the record stays with the second's row. A mark that could not be
// written left the version as it was: the record was deleted under the second's 202, and the
// accepted event was never delivered (its row found no record).

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { NotificationStore } from '../../src/notifications/store';
import { StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { deliverySession, roleEvent } from '../fixtures/deliverySession';

describe('notification store: one event posted twice at once', () => {
  const session = deliverySession();

  it('never answers a duplicate accepted when the record it repaired may be deleted by its creator', async () => {
    const first = new SqliteState(path.join(session.dir, 'state.db'));
    const second = new SqliteState(path.join(session.dir, 'state.db'));
    session.states.push(first, second);

    // The first instance's row cannot be queued, once the second has done its part.
    let queueFails!: () => void;
    const gate = new Promise<void>((r) => (queueFails = r));
    const creator = new NotificationStore({
      records: first.records,
      outbox: {
        ...first.outbox,
        enqueue: async () => {
          await gate;
          throw new StateUnavailableError('state store: enqueue failed (SQLITE_FULL)');
        },
      },
    });
    // The second instance queues its row, and its mark on the record cannot be written.
    const duplicate = new NotificationStore({
      records: {
        get: (k) => second.records.get(k),
        create: (k, v, e) => second.records.create(k, v, e),
        put: (k, v, e) => second.records.put(k, v, e),
        delete: (k, v) => second.records.delete(k, v),
        replace: () => Promise.reject(new Error('SQLITE_FULL')),
      },
      outbox: second.outbox,
    });

    const created = creator.accept(roleEvent('e1')).then(
      (outcome) => outcome,
      (e: unknown) => (e instanceof StateUnavailableError ? ('503' as const) : Promise.reject(e)),
    );
    // The record is there once the creator waits on its row.
    for (let i = 0; i < 100 && !(await second.records.get('event:e1')); i++) await new Promise((r) => setTimeout(r, 5));
    const repaired = await duplicate.accept(roleEvent('e1')).then(
      (outcome) => outcome,
      (e: unknown) => (e instanceof StateUnavailableError ? ('503' as const) : Promise.reject(e)),
    );
    queueFails();
    assert.equal(await created, '503', 'the creator could not queue its row');

    const record = await duplicate.get('e1');
    if (repaired === 'duplicate') {
      // A 202: the event must be stored, with a row to deliver it.
      assert.equal(record?.state, 'queued', 'the event answered 202 is stored');
      assert.ok((await second.outbox.size()) >= 1, 'with its row');
    } else {
      assert.equal(repaired, '503');
    }
  });
});
