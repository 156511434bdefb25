// The notification store over the SQLite state port: accept writes the record and its outbox row
// once per eventId (one row also where the outbox would keep two), a record a crash left without
// its row gets the row when the event comes again, one whose row cannot be queued leaves nothing
// behind, and every failure of the store is a StateUnavailableError.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { NotificationStore } from '../../src/notifications/store';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { AzureLikeQueue } from '../fixtures/azureLikeQueue';
import { connector, deliverySession, roleEvent } from '../fixtures/deliverySession';

describe('notification delivery', () => {
  const session = deliverySession();
  const { instance } = session;
  let dir: string;
  let states: SqliteState[];
  // The session's beforeEach, registered first, has made this test's directory by now.
  beforeEach(() => {
    ({ dir, states } = session);
  });

  describe('store', () => {
    it('stores the record and its outbox row once per eventId', async () => {
      const { store, state } = await instance(connector().send);
      assert.equal(await store.accept(roleEvent('e1')), 'created');
      assert.equal(await store.accept(roleEvent('e1')), 'duplicate');
      assert.equal((await store.get('e1'))?.state, 'queued');
      assert.equal(await state.outbox.size(), 1);
    });

    it("stamps an accepted event with the state's clock, the one its stored times are judged by", async () => {
      // StatePort.now: on Azure Storage the storage's clock, which every instance agrees on, not
      // this machine's. acceptedAt is compared with that clock later (the digest's day and the
      // "waiting since" of a category event, a posted card's age when its binding is retried), so
      // it is written by it too. This state's clock stands a day ahead of the machine's.
      const at = Date.now() + 24 * 3_600_000;
      const state = new SqliteState(path.join(dir, 'clock.db'), { now: () => at });
      states.push(state);
      const store = new NotificationStore(state);
      assert.equal(await store.accept(roleEvent('e1')), 'created');
      assert.equal((await store.get('e1'))?.acceptedAt, new Date(at).toISOString());
    });

    it('the same event posted again queues no second row where the outbox would keep two (Azure)', async () => {
      // Azure Queue Storage adds a message on every Put Message, also for an id already queued:
      // https://learn.microsoft.com/rest/api/storageservices/put-message
      const outbox = new AzureLikeQueue<{ eventId: string }>();
      const { store } = await instance(connector().send, {}, outbox);
      assert.equal(await store.accept(roleEvent('e1')), 'created');
      assert.equal(await store.accept(roleEvent('e1')), 'duplicate');
      assert.equal(await outbox.size(), 1);
    });

    it('a record left without its row by a crash gets the row when the event is sent again', async () => {
      const { store, state } = await instance(connector().send);
      // The crash: the record was written, the row never was, and no 202 went out.
      await state.records.create(
        'event:e1',
        {
          event: roleEvent('e1'),
          state: 'queued',
          acceptedAt: new Date().toISOString(),
          attempts: 0,
        },
        'none',
      );
      assert.equal(await state.outbox.size(), 0);
      assert.equal(await store.accept(roleEvent('e1')), 'duplicate');
      assert.equal(await state.outbox.size(), 1);
    });

    it('renews a send claim only for its holder, live or expired, while no one else has taken it', async () => {
      const { store } = await instance(connector().send);
      await store.accept(roleEvent('e1'));
      const t = Date.now();
      assert.equal((await store.claim('e1', 'h1', t, 60_000)).kind, 'claimed');
      assert.equal(await store.renewClaim('e1', 'h1', t + 30_000, 60_000), 'renewed');
      assert.deepEqual((await store.get('e1'))?.sending, { holder: 'h1', until: t + 90_000 });
      // Expired, but no one took it: no other send can have been made, so it is still h1's.
      assert.equal(await store.renewClaim('e1', 'h1', t + 100_000, 60_000), 'renewed');
      assert.equal(await store.renewClaim('e1', 'h2', t + 100_000, 60_000), 'lost', 'not its claim');
      // Taken by h2 once expired: h1 is refused, and h2's claim is left as it is.
      assert.equal((await store.claim('e1', 'h2', t + 170_000, 60_000)).kind, 'claimed');
      assert.equal(await store.renewClaim('e1', 'h1', t + 170_000, 60_000), 'lost');
      assert.deepEqual((await store.get('e1'))?.sending, { holder: 'h2', until: t + 230_000 });
      // Ended by its taker (a send refused with Retry-After): no claim to renew.
      await store.retryLater('e1', 'h2', 2, t + 171_000);
      assert.equal(await store.renewClaim('e1', 'h2', t + 170_500, 60_000), 'lost');
      assert.equal((await store.get('e1'))?.sending, undefined, 'no claim made');
      const delivered = { state: 'delivered', activityId: 'a', conversationId: 'c' } as const;
      assert.equal(await store.finish('e1', delivered, 2), true);
      assert.equal(await store.renewClaim('e1', 'h2', t + 180_000, 60_000), 'done');
    });

    it('an event whose row cannot be queued leaves no record behind, and its retry is stored anew', async () => {
      // The intake answers 503 ("nothing is half-stored"): the caller sends the event again.
      const { store, state } = await instance(connector().send);
      const enqueue = state.outbox.enqueue.bind(state.outbox);
      state.outbox.enqueue = () => Promise.reject(new Error('SQLITE_BUSY'));
      await assert.rejects(store.accept(roleEvent('e1')), StateUnavailableError);
      assert.equal(await store.get('e1'), null, 'nothing stored for a 503');
      state.outbox.enqueue = enqueue;
      assert.equal(await store.accept(roleEvent('e1')), 'created');
      assert.equal(await state.outbox.size(), 1);
    });

    it('every store failure is a StateUnavailableError', async () => {
      const broken: Records = {
        get: () => Promise.reject(new Error('disk on fire')),
        create: () => Promise.reject(new Error('disk on fire')),
        replace: () => Promise.reject(new Error('disk on fire')),
        put: () => Promise.reject(new Error('disk on fire')),
        delete: () => Promise.reject(new Error('disk on fire')),
      };
      const state = new SqliteState(path.join(dir, 'state.db'));
      states.push(state);
      const store = new NotificationStore({ records: broken, outbox: state.outbox });
      await assert.rejects(store.accept(roleEvent('e1')), StateUnavailableError);
      await assert.rejects(store.get('e1'), StateUnavailableError);
      await state.close();
      const closed = new NotificationStore(state);
      await assert.rejects(closed.accept(roleEvent('e2')), StateUnavailableError);
    });
  });
});
