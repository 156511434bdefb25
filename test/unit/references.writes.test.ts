// Writing captured conversation references when the store fails or is slow: a failed write is
// never dropped (often it is the install's, and the person may never write to the bot again), it
// is retried with backoff for a bounded time, told once without the reference, and the shutdown's
// flush writes several keys at once and returns by its deadline saying what it could not write.
// A slow write never brings back what a removal forgot: the removal waits for it.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Records } from '../../src/state/port';
import { PutHook, recordsWithPut } from '../fixtures/recordsWithPut';
import { ReferenceWriteError } from '../../src/state/referenceWriteErrors';
import { WRITE_CONCURRENCY } from '../../src/state/referenceWrites';
import { CapturedReference, ConversationReferences, ReferenceOptions } from '../../src/state/references';
import { SqliteState } from '../../src/state/sqlite';

const ALICE = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';

function personal(aad: string, serviceUrl = 'https://smba.example/'): CapturedReference {
  return {
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: `a:personal-${aad}`, conversationType: 'personal', tenantId: 't' },
    bot: { id: '28:bot', name: 'Governance Bot' },
    user: { id: `29:${aad}`, name: 'Alice', aadObjectId: aad },
  };
}

const TEAM = '19:team@thread.tacv2';
const GENERAL = '19:general@thread.tacv2';
const OPS = '19:ops@thread.tacv2';

function inChannel(channel: string): CapturedReference {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    conversation: { id: channel, conversationType: 'channel', tenantId: 't' },
    bot: { id: '28:bot', name: 'Governance Bot' },
    user: { id: '29:u', aadObjectId: 'u' },
  };
}

const userOf = (i: number): string => `a1b2c3d4-1111-4aaa-8bbb-${String(i).padStart(12, '0')}`;

/** Records whose `put` does what the test says (by default, the real store's put). */
function scripted(records: Records) {
  const attempts: string[] = [];
  let put: PutHook = (_k, write) => write();
  const wrapped = recordsWithPut(records, (k, write) => {
    attempts.push(k);
    return put(k, write);
  });
  return { records: wrapped, attempts, onPut: (f: PutHook) => (put = f) };
}

/** A promise and the functions that settle it, for a test to await an event. */
function signal<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** The first put waits for `gate` (`started` says it began); later ones go to the store. */
function holdFirstPut(s: ReturnType<typeof scripted>) {
  const gate = signal<string>();
  const started = signal();
  s.onPut(() => {
    s.onPut((_k, w) => w());
    started.resolve();
    return gate.promise;
  });
  return { gate, started };
}

const storeDown = (): Promise<string> => Promise.reject(new Error('SQLITE_BUSY: database is locked'));

describe('conversation references: failed and slow writes', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-refs-writes-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const refs = (records: Records, options: ReferenceOptions = {}) =>
    new ConversationReferences(records, { flushDelayMs: 60_000, ...options });
  const storedFor = (aad: string) => new ConversationReferences(state.records).forUser(aad);

  it('a reference whose write failed is written by the next flush (the shutdown flush included)', async () => {
    const s = scripted(state.records);
    s.onPut(() => {
      s.onPut((_k2, w) => w()); // fails once, then the store is healthy again
      return storeDown();
    });
    const r = refs(s.records);
    await r.remember(personal(ALICE), ALICE, undefined); // the app is installed: one capture, no further turn
    await r.flush(); // the write fails
    await r.flush(); // e.g. the shutdown's flush
    assert.ok(await storedFor(ALICE), 'the installed user can be reached');
  });

  it('a failed write is retried on its own after a backoff, with no further capture', async () => {
    const s = scripted(state.records);
    const written = signal();
    s.onPut(() => {
      s.onPut(async (_k, w) => {
        const version = await w();
        written.resolve();
        return version;
      });
      return storeDown();
    });
    const r = refs(s.records, { flushDelayMs: 1, retry: { firstMs: 1 } });
    await r.remember(personal(ALICE), ALICE, undefined);
    await written.promise;
    assert.ok(await storedFor(ALICE));
  });

  it('a newer capture that came while the write was failing is the one written', async () => {
    const s = scripted(state.records);
    const { gate, started } = holdFirstPut(s);
    const r = refs(s.records);
    await r.remember(personal(ALICE, 'https://old.example/'), ALICE, undefined);
    const first = r.flush();
    await started.promise;
    await r.remember(personal(ALICE, 'https://new.example/'), ALICE, undefined);
    gate.reject(new Error('SQLITE_BUSY: database is locked'));
    await first;
    await r.flush();
    assert.equal((await storedFor(ALICE))?.serviceUrl, 'https://new.example/');
  });

  it('retries end a bounded time after the first failure, told when they start and when given up, never with the reference', async () => {
    const s = scripted(state.records);
    s.onPut(storeDown);
    const errors: ReferenceWriteError[] = [];
    const givenUp = signal();
    const r = refs(s.records, {
      flushDelayMs: 1,
      retry: { firstMs: 1, maxMs: 2, forMs: 30 },
      onError: (e) => {
        errors.push(e);
        if (e.code === 'REFERENCE_WRITE_ABANDONED') givenUp.resolve();
      },
    });
    await r.remember(personal(ALICE), ALICE, undefined);
    await givenUp.promise;
    assert.ok(s.attempts.length > 2, `retried (${s.attempts.length} attempts)`);
    assert.deepEqual(
      errors.map((e) => e.code),
      ['REFERENCE_WRITE_RETRYING', 'REFERENCE_WRITE_ABANDONED'],
    );
    // Nothing is queued any more: this instance no longer offers the reference either.
    assert.equal(await r.forUser(ALICE), null);
    const told = JSON.stringify(errors.map((e) => [e.message, String(e.cause)]));
    for (const secret of [ALICE, 'smba.example', 'a:personal', '29:']) assert.ok(!told.includes(secret), told);
    assert.match(told, /user conversation reference/);
  });

  it("the shutdown's flush writes several keys at once, at most the bound, and returns by its deadline saying what it did not write", async () => {
    const s = scripted(state.records);
    let running = 0;
    let most = 0;
    s.onPut(() => {
      running++;
      most = Math.max(most, running);
      return new Promise<string>(() => undefined); // the store never answers
    });
    const errors: ReferenceWriteError[] = [];
    const r = refs(s.records, { onError: (e) => errors.push(e) });
    for (let i = 0; i < 20; i++) await r.remember(personal(userOf(i)), userOf(i), undefined);
    await r.flush(50);
    assert.equal(most, WRITE_CONCURRENCY);
    assert.equal(s.attempts.length, WRITE_CONCURRENCY, 'no write starts once the deadline has passed');
    assert.deepEqual(
      errors.map((e) => [e.code, e.message.replace(/;.*/, '')]),
      [['REFERENCES_NOT_WRITTEN', '20 of 20 conversation references were not written by the flush (20 user)']],
    );
    // What was not started stays queued in this process.
    assert.ok(await r.forUser(userOf(19)));
  });

  it("the shutdown's flush waits for a write the timer started, and returns once it has landed", async () => {
    const s = scripted(state.records);
    const started = signal();
    const answered = signal();
    s.onPut((_k, w) => {
      started.resolve();
      return answered.promise.then(w); // the store answers once the flush has begun
    });
    const errors: ReferenceWriteError[] = [];
    const r = refs(s.records, { flushDelayMs: 1, onError: (e) => errors.push(e) });
    await r.remember(personal(ALICE), ALICE, undefined);
    await started.promise; // the timer's write is under way (its key is off the queue): SIGTERM now
    const flushed = r.flush();
    setImmediate(answered.resolve);
    await flushed;
    // Written before the flush returned: the store is closed right after it (src/app.ts).
    assert.ok(await storedFor(ALICE), 'the reference was written before the flush returned');
    assert.deepEqual(errors, []);
  });

  it("the shutdown's flush counts a write the timer started that is still under way at its deadline", async () => {
    const s = scripted(state.records);
    const started = signal();
    s.onPut(() => {
      started.resolve();
      return new Promise<string>(() => undefined); // the store never answers
    });
    const errors: ReferenceWriteError[] = [];
    const r = refs(s.records, { flushDelayMs: 1, onError: (e) => errors.push(e) });
    await r.remember(personal(ALICE), ALICE, undefined);
    await started.promise;
    await r.flush(50);
    assert.deepEqual(
      errors.map((e) => [e.code, e.message.replace(/;.*/, '')]),
      [['REFERENCES_NOT_WRITTEN', '1 of 1 conversation references were not written by the flush (1 user)']],
    );
  });

  /** Records whose write of #ops waits for `answered`, and a signal for when the team's list is created. */
  function slowOps(answered: Promise<unknown>) {
    const s = scripted(state.records);
    const started = signal();
    const listWritten = signal();
    s.onPut((k, w) => {
      if (k !== `ref:channel:${OPS}`) return w();
      started.resolve();
      return answered.then(w);
    });
    const records: Records = {
      ...s.records,
      create: async (k, v, o) => {
        const version = await s.records.create(k, v, o);
        if (k === `ref:team:${TEAM}`) listWritten.resolve();
        return version;
      },
    };
    return { records, attempts: s.attempts, started, listWritten };
  }

  it("a channel captured just before the bot's removal from its team does not come back when its slow write lands", async () => {
    const answered = signal();
    const ops = slowOps(answered.promise);
    const r = refs(ops.records);
    // Someone wrote in #ops; then the bot is removed from the team (the event names the team).
    await r.remember(inChannel(OPS), undefined, OPS, TEAM);
    await r.forget(inChannel(GENERAL), undefined, GENERAL, TEAM);
    answered.resolve(); // the slow store answers
    if (ops.attempts.includes(`ref:channel:${OPS}`)) await ops.listWritten.promise;
    assert.equal(await r.forChannel(OPS), null, '#ops is not reachable any more');
    assert.equal(await state.records.get(`ref:channel:${OPS}`), null);
    assert.equal(await state.records.get(`ref:team:${TEAM}`), null, "the team's channel list is gone");
  });

  it("the bot's removal from a team waits for a channel write under way, so it does not come back", async () => {
    const answered = signal();
    const ops = slowOps(answered.promise);
    const r = refs(ops.records, { flushDelayMs: 1 });
    await r.remember(inChannel(OPS), undefined, OPS, TEAM);
    await ops.started.promise; // the timer's write of #ops is under way, not yet in the team's list
    const forgotten = r.forget(inChannel(GENERAL), undefined, GENERAL, TEAM);
    // The store answers once the removal has been handled as far as it goes without that write.
    await Promise.race([forgotten, new Promise((resolve) => setImmediate(resolve))]);
    answered.resolve();
    await Promise.all([forgotten, ops.listWritten.promise]);
    assert.equal(await state.records.get(`ref:channel:${OPS}`), null, '#ops is not reachable any more');
    assert.equal(await state.records.get(`ref:team:${TEAM}`), null, "the team's channel list is gone");
  });

  it('a write that fails after its key was forgotten does not bring it back', async () => {
    const s = scripted(state.records);
    const { gate, started } = holdFirstPut(s);
    const r = refs(s.records);
    await r.remember(personal(ALICE), ALICE, undefined);
    const flushed = r.flush();
    await started.promise;
    const forgotten = r.forgetUser(ALICE); // Teams answered 403 meanwhile
    gate.reject(new Error('SQLITE_BUSY: database is locked'));
    await Promise.all([flushed, forgotten]);
    await r.flush();
    assert.equal(await r.forUser(ALICE), null);
    assert.equal(await storedFor(ALICE), null);
  });
});
