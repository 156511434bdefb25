// An event the intake answered 503 must not be reported as on its way. The record is written
// before the outbox row; when the row cannot be stored and the record cannot be deleted either (a
// full disk, a store outage), the record stayed with no row, and GET /api/notifications/{eventId}
// answered 200 "queued" for ever (a queued record is never swept): a caller that checked with GET
// instead of sending again took the event for on its way, and it was never delivered. The README
// ("GET /api/notifications/{eventId}") answers 404 for an id that was not accepted.
//
// Over the real store on SQLite and the real routes, on a clock the test moves on.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as restify from 'restify';
import { createLogger } from '../../src/log';
import { EVENT_RETENTION_MS, ROW_PENDING_TTL_MS } from '../../src/notifications/eventRetention';
import { mountNotifications } from '../../src/notifications/routes';
import { NotificationStore } from '../../src/notifications/store';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { roleEvent } from '../fixtures/deliverySession';

const full = () => Promise.reject(new StateUnavailableError('state store: write failed (SQLITE_FULL)'));

describe('notification intake: an event answered 503 with something of it left in the store', () => {
  let dir: string;
  let state: SqliteState;
  let clock: number;
  let server: restify.Server;
  let base: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-halfstored-'));
    clock = Date.parse('2026-03-02T09:00:00Z');
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    server = restify.createServer({ handleUncaughtExceptions: false });
    mountNotifications(server, {
      auth: { check: async () => ({ ok: true, claims: {} }) },
      store: new NotificationStore(state),
      deliverer: { kick: () => undefined },
      logger: createLogger({ destination: { write: () => undefined } }),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The store of an instance whose writes named in `failing` fail (the rest reach the database). */
  const failingStore = (failing: {
    enqueue?: boolean;
    replace?: boolean;
    delete?: boolean;
    /** The mark is written, but its answer is lost (a deadline that ran out after it landed). */
    replaceLandsUnanswered?: boolean;
    get?: boolean;
  }) => {
    const records: Records = {
      get: (k) => (failing.get ? full() : state.records.get(k)),
      create: (k, v, e) => state.records.create(k, v, e),
      put: (k, v, e) => state.records.put(k, v, e),
      replace: async (k, v, ver, e) => {
        if (failing.replaceLandsUnanswered) {
          await state.records.replace(k, v, ver, e);
          return full();
        }
        return failing.replace ? full() : state.records.replace(k, v, ver, e);
      },
      delete: (k, v) => (failing.delete ? full() : state.records.delete(k, v)),
    };
    const outbox = { ...state.outbox, enqueue: failing.enqueue ? full : state.outbox.enqueue };
    return new NotificationStore({ records, outbox, now: state.now });
  };

  const status = async (eventId: string) => {
    const r = await fetch(`${base}/api/notifications/${eventId}`, { headers: { authorization: 'Bearer t' } });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const unknown = { status: 404, body: { error: 'No event with this id was accepted.' } };

  it('answers an event whose row and cleanup both failed as unknown, and its record goes soon', async () => {
    await assert.rejects(failingStore({ enqueue: true, delete: true }).accept(roleEvent('e1')), StateUnavailableError);
    assert.ok(await state.records.get('event:e1'), 'the record its POST could not delete is left');
    assert.equal(await state.outbox.size(), 0, 'with no row');

    assert.deepEqual(await status('e1'), unknown, 'not reported as queued: it was never accepted');

    clock += ROW_PENDING_TTL_MS;
    assert.deepEqual(await status('e1'), unknown);
    assert.ok((await state.sweepExpired()) >= 1, 'the periodic sweep deletes it');
    assert.equal(await state.records.get('event:e1'), null);

    // The caller's next POST is a new event, accepted and delivered as any.
    assert.equal(await new NotificationStore(state).accept(roleEvent('e1')), 'created');
    assert.equal((await status('e1')).body.state, 'queued');
  });

  it('sends nothing from a row stored for an event whose POST answered 503, and drops it once the record is gone', async () => {
    // The row is stored, the mark and the cleanup fail: the POST cannot answer 202.
    await assert.rejects(
      failingStore({ replace: true, delete: true }).accept(roleEvent('e2')),
      StateUnavailableError,
      'no 202 for an event whose record is not marked (it would expire under the 202)',
    );
    assert.equal(await state.outbox.size(), 1);
    assert.deepEqual(await status('e2'), unknown);
    const store = new NotificationStore(state);
    const claim = await store.claim('e2', 'A', clock, 60_000);
    assert.equal(claim.kind, 'wait', 'the row waits: its POST might yet mark the record');
    assert.equal((await store.get('e2'))?.sending, undefined, 'no send claimed');

    clock += ROW_PENDING_TTL_MS;
    assert.equal((await store.claim('e2', 'A', clock, 60_000)).kind, 'done', 'the record expired: nothing to send');
  });

  it('an event posted again after a 503 is accepted, and then lives until it is delivered', async () => {
    await assert.rejects(failingStore({ enqueue: true, delete: true }).accept(roleEvent('e3')));
    const store = new NotificationStore(state);
    assert.equal(await store.accept(roleEvent('e3')), 'duplicate', 'the record left is repaired: row queued, marked');
    assert.equal(await state.outbox.size(), 1);
    clock += ROW_PENDING_TTL_MS + EVENT_RETENTION_MS;
    await state.sweepExpired();
    const { status: code, body } = await status('e3');
    assert.equal(code, 200);
    assert.equal(body.state, 'queued', 'a queued event never expires');
    assert.equal((await store.claim('e3', 'A', clock, 60_000)).kind, 'claimed');
  });

  it('an event answered 202 keeps its record past the short lifetime of an unmarked one', async () => {
    const store = new NotificationStore(state);
    assert.equal(await store.accept(roleEvent('e4')), 'created');
    clock += ROW_PENDING_TTL_MS + EVENT_RETENTION_MS;
    await state.sweepExpired();
    assert.equal((await status('e4')).body.state, 'queued');
  });

  it('a record written by an earlier release (no mark either way) is still reported queued', async () => {
    const event = roleEvent('e5');
    await state.records.put(
      'event:e5',
      { event, state: 'queued', acceptedAt: new Date(clock).toISOString(), attempts: 0 },
      'none',
    );
    assert.equal((await status('e5')).body.state, 'queued');
    assert.equal((await new NotificationStore(state).claim('e5', 'A', clock, 60_000)).kind, 'claimed');
  });

  it('the same event posted twice at once: the duplicate queues the row and marks it while its creator is at work', async () => {
    let rowMayGo!: () => void;
    const gate = new Promise<void>((r) => (rowMayGo = r));
    const creator = new NotificationStore({
      records: state.records,
      outbox: { ...state.outbox, enqueue: (id, p, due) => gate.then(() => state.outbox.enqueue(id, p, due)) },
      now: state.now,
    });
    const created = creator.accept(roleEvent('e6'));
    for (let i = 0; i < 100 && !(await state.records.get('event:e6')); i++) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(await status('e6'), unknown, 'not accepted while its POST is between its writes');
    assert.equal(await new NotificationStore(state).accept(roleEvent('e6')), 'duplicate');
    assert.equal((await status('e6')).body.state, 'queued');
    rowMayGo();
    assert.equal(await created, 'created');
    clock += ROW_PENDING_TTL_MS + 1;
    assert.equal((await status('e6')).body.state, 'queued', 'marked: no longer expiring');
  });

  it('a mark that was written but whose answer was lost: the event is accepted (202), since the store holds it', async () => {
    // The README ("POST /api/notifications"): a 503 means not accepted; the record here is marked,
    // kept without an expiry and has its row, so it will be sent: only 202 is true of it.
    assert.equal(await failingStore({ replaceLandsUnanswered: true }).accept(roleEvent('e7')), 'created');
    assert.equal((await status('e7')).body.state, 'queued');
    assert.equal(await state.outbox.size(), 1);
    clock += ROW_PENDING_TTL_MS + 1;
    await state.sweepExpired();
    assert.equal((await status('e7')).body.state, 'queued');
  });

  it('a lost answer to the mark that cannot be read back either is answered 503 (the caller sends it again)', async () => {
    await assert.rejects(
      failingStore({ replaceLandsUnanswered: true, get: true }).accept(roleEvent('e8')),
      StateUnavailableError,
    );
    // What the store holds then is an accepted event (the README says a 503 may leave one): posted
    // again it is a duplicate, answered 202, and has one row.
    assert.equal(await new NotificationStore(state).accept(roleEvent('e8')), 'duplicate');
    assert.equal(await state.outbox.size(), 1);
  });

  it('a duplicate whose mark was written but whose answer was lost is accepted (202) too', async () => {
    await assert.rejects(failingStore({ enqueue: true, delete: true }).accept(roleEvent('e9')));
    assert.equal(await failingStore({ replaceLandsUnanswered: true }).accept(roleEvent('e9')), 'duplicate');
    assert.equal((await status('e9')).body.state, 'queued');
  });
});
