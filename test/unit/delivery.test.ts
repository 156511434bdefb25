// The notification store and the delivery worker over the SQLite state port: accept writes the
// record and its outbox row, the worker sends under a lease, classifies Teams' answer and writes
// the outcome. Teams' throttling guidance: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OutboundCard, SendCard } from '../../src/notifications/delivery';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { NotificationStore } from '../../src/notifications/store';
import { DeliveryWorker, WorkerOptions } from '../../src/notifications/worker';
import { recordingLogger } from '../fixtures/recordingLogger';
import { ItemCopies } from '../../src/alerts/itemCopies';
import { CardBindings } from '../../src/state/cardBindings';
import { Records, StateUnavailableError } from '../../src/state/port';
import { ConversationReferences } from '../../src/state/references';
import { SqliteState } from '../../src/state/sqlite';

const USER = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f31e';

/** An error shaped like botbuilder's RestError for a connector answer. */
function teamsError(statusCode: number, retryAfter?: string): Error {
  return Object.assign(new Error(`HTTP ${statusCode}`), {
    statusCode,
    response: { headers: { get: (n: string) => (n === 'retry-after' ? (retryAfter ?? null) : null) } },
  });
}

function roleEvent(eventId: string, userId = USER): NotificationEvent {
  const parsed = parseEvent({ eventId, kind: 'roleRequest', target: { userId }, requestId: REQUEST });
  assert.ok(parsed.ok);
  return parsed.event;
}

/** Polls a condition the code under test will make true (no fixed sleep). */
async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records the delay of every row given back to the outbox. */
function observeReleases(state: SqliteState): number[] {
  const delays: number[] = [];
  const release = state.outbox.release.bind(state.outbox);
  state.outbox.release = (lease, delayMs) => {
    delays.push(delayMs);
    return release(lease, delayMs);
  };
  return delays;
}

/** Records whether each lease attempt found a due row. */
function observeLeases(state: SqliteState): boolean[] {
  const found: boolean[] = [];
  const lease = state.outbox.lease.bind(state.outbox);
  state.outbox.lease = async (ms) => {
    const row = await lease(ms);
    found.push(row !== null);
    return row;
  };
  return found;
}

const card: OutboundCard = { attachment: { contentType: 'application/vnd.microsoft.card.adaptive' }, summary: 's' };

describe('notification delivery', () => {
  let dir: string;
  /** Added to the real clock: moving it on skips a Retry-After without waiting for it. */
  let offset: number;
  let states: SqliteState[];
  let workers: DeliveryWorker[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-delivery-'));
    offset = 0;
    states = [];
    workers = [];
  });
  afterEach(async () => {
    for (const w of workers) await w.stop(100);
    for (const s of states) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One instance: its own connection to the shared database file, on the test's clock. */
  async function instance(
    send: SendCard,
    options: Partial<WorkerOptions> | ((state: SqliteState) => Partial<WorkerOptions>) = {},
  ) {
    const state = new SqliteState(path.join(dir, 'state.db'), { now: () => Date.now() + offset });
    states.push(state);
    const store = new NotificationStore(state);
    const references = new ConversationReferences(state.records);
    await references.remember(
      {
        conversation: { id: 'a:personal', conversationType: 'personal', tenantId: 't' },
        serviceUrl: 'https://smba.example/',
        user: { id: '29:u' },
      },
      USER,
      undefined,
    );
    await references.flush();
    const log = recordingLogger();
    const worker = new DeliveryWorker({
      store,
      references,
      bindings: new CardBindings(state.records),
      send,
      render: () => card,
      logger: log.logger,
      pollMs: 5,
      backoffMs: () => 1,
      ...(typeof options === 'function' ? options(state) : options),
    });
    workers.push(worker);
    return { state, store, references, worker, events: log.events };
  }

  /** A connector double: answers with the scripted failures first, then with ids. */
  function connector(failures: Error[] = []) {
    const sent: string[] = [];
    const send: SendCard = async (reference) => {
      const f = failures.shift();
      if (f) throw f;
      sent.push(reference.conversation?.id ?? '');
      return `activity-${sent.length}`;
    };
    return { send, sent };
  }

  describe('store', () => {
    it('stores the record and its outbox row once per eventId', async () => {
      const { store, state } = await instance(connector().send);
      assert.equal(await store.accept(roleEvent('e1')), 'created');
      assert.equal(await store.accept(roleEvent('e1')), 'duplicate');
      assert.equal((await store.get('e1'))?.state, 'queued');
      assert.equal(await state.outbox.size(), 1);
    });

    it('a record left without its row by a crash gets the row when the event is sent again', async () => {
      const { store, state } = await instance(connector().send);
      // The crash: the record was written, the row never was, and no 202 went out.
      await state.records.create('event:e1', {
        event: roleEvent('e1'),
        state: 'queued',
        acceptedAt: new Date().toISOString(),
        attempts: 0,
      });
      assert.equal(await state.outbox.size(), 0);
      assert.equal(await store.accept(roleEvent('e1')), 'duplicate');
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
    offset += 3000;
    worker.kick();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'delivery');
    const rec = await store.get('e1');
    assert.equal(rec?.attempts, 6);
    assert.equal(c.sent.length, 1);
    assert.equal(await state.outbox.size(), 0);
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

  it('two instances on one database, one waiting out Retry-After while the other starts, send the card once', async () => {
    // Issue 7.8: an instance starting while another waits out a Retry-After must not take the
    // event without a lease. Both instances here share the database file, as two processes do.
    const successes: string[] = [];
    let first = true;
    const send: SendCard = async () => {
      if (first) {
        first = false;
        throw teamsError(429, '5');
      }
      successes.push('sent');
      return `activity-${successes.length}`;
    };
    const a = await instance(send);
    const released = observeReleases(a.state);
    await a.store.accept(roleEvent('e1'));
    a.worker.start();
    await eventually(() => released.length === 1, 'the throttled attempt');
    const b = await instance(send);
    const polls = observeLeases(b.state);
    b.worker.start();
    // B polls while the row waits out Retry-After: nothing is due, so nothing is sent.
    await eventually(() => polls.length >= 5, 'B polling');
    assert.deepEqual(polls.slice(0, 5), [false, false, false, false, false]);
    assert.equal(successes.length, 0);
    offset += 5000;
    a.worker.kick();
    b.worker.kick();
    await eventually(async () => (await a.store.get('e1'))?.state === 'delivered', 'delivery');
    await a.worker.stop(1000);
    await b.worker.stop(1000);
    assert.equal(successes.length, 1, 'the card was sent once');
    assert.equal(await a.state.outbox.size(), 0);
  });

  it('stop() lets the send under way finish, then takes no new rows', async () => {
    let release!: (id: string) => void;
    const started: string[] = [];
    const send: SendCard = (reference) => {
      started.push(reference.conversation?.id ?? '');
      return new Promise((r) => (release = r));
    };
    const { store, state, worker } = await instance(send);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => started.length === 1, 'the send to start');
    await store.accept(roleEvent('e2'));
    const stopped = worker.stop(5000);
    release('activity-1');
    await stopped;
    assert.equal((await store.get('e1'))?.state, 'delivered');
    assert.equal((await store.get('e2'))?.state, 'queued', 'left for the next instance');
    assert.equal(await state.outbox.size(), 1);
    assert.equal(started.length, 1);
  });

  it('stop() aborts a send that outlives the deadline and gives its row back', async () => {
    let aborted = false;
    let started = false;
    const send: SendCard = (_r, _c, signal) =>
      new Promise((_, reject) => {
        started = true;
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        });
      });
    const { store, state, worker } = await instance(send);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => started, 'the send to start');
    await worker.stop(20);
    assert.ok(aborted);
    assert.equal((await store.get('e1'))?.state, 'queued');
    assert.ok(await state.outbox.lease(1000), 'the row is due again at once');
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
