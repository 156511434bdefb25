// Another connection holding the database's write lock (another bot process mid-write, or an
// operator's sqlite3 shell left inside BEGIN IMMEDIATE): better-sqlite3 runs on the event loop, and
// SQLite's busy handler sleeps in the calling thread until busy_timeout ends
// (https://www.sqlite.org/c3ref/busy_timeout.html: "sleeps for a specified amount of time when a
// table is locked ... until at least ms milliseconds of sleeping have accumulated"), so a busy
// timeout of seconds would stop every request of the process (health probes, other turns) for
// that long. The store waits for the lock between short tries instead, the event loop free.
// Here the lock is held by a connection of this very process, released by a timer: while the store
// sleeps in SQLite's busy handler, that timer cannot run.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { tempDir } from '../fixtures/sqliteTempDir';

/** The longest the event loop went without running a timer while `work` ran. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  try {
    const [result] = await Promise.allSettled([work()]);
    stallMs = Math.max(stallMs, performance.now() - last);
    return { result, stallMs };
  } finally {
    clearInterval(tick);
  }
}

describe('SQLite state store: waiting for another writer', () => {
  let dir: string;
  let file: string;
  let state: SqliteState;
  let other: Database.Database;
  beforeEach(async () => {
    dir = tempDir();
    file = path.join(dir, 'state.db');
    state = new SqliteState(file);
    await state.records.put('k', 0, 'none');
    other = new Database(file);
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the lock with the event loop free, and writes once it is let go', async function () {
    this.timeout(15_000);
    other.exec('BEGIN IMMEDIATE');
    setTimeout(() => other.exec('COMMIT'), 300);
    const { result, stallMs } = await longestStall(() => state.records.put('k', 1, 'none'));
    assert.equal(result.status, 'fulfilled', 'the write waited for the lock and was made');
    assert.ok(stallMs < 250, `the event loop stood still for ${Math.round(stallMs)} ms`);
    assert.equal((await state.records.get<number>('k'))?.value, 1);
  });

  it('gives up as unavailable once its wait is over, the event loop free all the while', async function () {
    this.timeout(15_000);
    await state.close();
    state = new SqliteState(file, { busyTimeoutMs: 1_000 });
    await state.records.get('k');
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    const { result, stallMs } = await longestStall(() => state.outbox.enqueue('e1', { eventId: 'e1' }));
    const waited = performance.now() - started;
    assert.equal(result.status, 'rejected');
    assert.ok(result.reason instanceof StateUnavailableError, String(result.reason));
    assert.match(result.reason.message, /SQLITE_BUSY/);
    assert.ok(waited >= 1_000 && waited < 3_000, `gave up after ${Math.round(waited)} ms`);
    assert.ok(stallMs < 250, `the event loop stood still for ${Math.round(stallMs)} ms`);
    other.exec('ROLLBACK');
    await state.outbox.enqueue('e1', { eventId: 'e1' });
    assert.equal(await state.outbox.size(), 1);
  });

  it('the readiness check waits the same way', async function () {
    this.timeout(15_000);
    other.exec('BEGIN IMMEDIATE');
    setTimeout(() => other.exec('COMMIT'), 300);
    const { result, stallMs } = await longestStall(() => state.check());
    assert.equal(result.status, 'fulfilled');
    assert.ok(stallMs < 250, `the event loop stood still for ${Math.round(stallMs)} ms`);
  });
});
