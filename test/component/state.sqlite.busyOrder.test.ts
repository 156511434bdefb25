// Operations of one SQLite store keep the order they were called in while one of them waits for
// another process's write lock (state.sqlite.busy.test.ts holds the lock the same way: another
// connection of this process inside BEGIN IMMEDIATE). A write that met the lock is tried again
// later; a second write of the same key made in between, once the lock was let go, would land
// first and the older value win. So while one waits, later operations (reads too, so a read never
// sees a state older than a write called before it) wait behind it, each within its own deadline
// counted from its own call.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { tempDir } from '../fixtures/sqliteTempDir';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SQLite state store: call order while one operation waits for another writer', function () {
  this.timeout(10_000);
  let dir: string;
  let file: string;
  let state: SqliteState;
  let other: Database.Database;
  const open = async (busyTimeoutMs?: number) => {
    state = new SqliteState(file, { busyTimeoutMs });
    await state.records.put('k', 'v0', 'none');
  };
  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'state.db');
    other = new Database(file);
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a put called after a waiting put of the same key lands after it, so the newer value stays', async () => {
    await open();
    other.exec('BEGIN IMMEDIATE');
    const first = state.records.put('k', 'v1', 'none');
    await sleep(50);
    other.exec('COMMIT');
    // The lock is free now, but the first put is still between its tries.
    const second = state.records.put('k', 'v2', 'none');
    await Promise.all([first, second]);
    assert.equal((await state.records.get<string>('k'))?.value, 'v2');
  });

  it('a read called after a waiting write sees that write', async () => {
    await open();
    other.exec('BEGIN IMMEDIATE');
    const write = state.records.put('k', 'v1', 'none');
    // In WAL a reader is not held up by another connection's write lock: it would read v0 at once.
    const read = state.records.get<string>('k');
    setTimeout(() => other.exec('COMMIT'), 100);
    await write;
    assert.equal((await read)?.value, 'v1');
  });

  it('operations called behind a waiting one run in call order once the lock is let go', async () => {
    await open();
    other.exec('BEGIN IMMEDIATE');
    const done: string[] = [];
    const calls = [
      state.records.put('k', 'v1', 'none').then(() => done.push('put v1')),
      state.records.get<string>('k').then((e) => done.push(`get ${e?.value}`)),
      state.outbox.enqueue('e1', { eventId: 'e1' }).then(() => done.push('enqueue e1')),
      state.records.put('k', 'v2', 'none').then(() => done.push('put v2')),
      state.records.get<string>('k').then((e) => done.push(`get ${e?.value}`)),
    ];
    setTimeout(() => other.exec('COMMIT'), 100);
    await Promise.all(calls);
    assert.deepEqual(done, ['put v1', 'get v1', 'enqueue e1', 'put v2', 'get v2']);
    assert.equal(await state.outbox.size(), 1);
  });

  it('an operation waiting behind another fails as unavailable at its own deadline, counted from its call', async () => {
    await open(400);
    other.exec('BEGIN IMMEDIATE');
    const calledAt = performance.now();
    const first = state.records.put('k', 'v1', 'none');
    const second = state.records.put('k', 'v2', 'none');
    await sleep(200);
    const thirdAt = performance.now();
    const third = state.records.put('k', 'v3', 'none');
    const [firstEnd, secondEnd, thirdEnd] = await Promise.all([failedAt(first), failedAt(second), failedAt(third)]);
    // Each gave up at its own deadline, not a whole wait after the one ahead of it gave up.
    assert.ok(firstEnd - calledAt >= 395 && firstEnd - calledAt < 700, `first after ${firstEnd - calledAt} ms`);
    assert.ok(secondEnd - calledAt < 700, `second after ${secondEnd - calledAt} ms`);
    assert.ok(thirdEnd - thirdAt >= 395 && thirdEnd - thirdAt < 700, `third after ${thirdEnd - thirdAt} ms`);
    other.exec('ROLLBACK');
    assert.equal((await state.records.get<string>('k'))?.value, 'v0');
    await state.records.put('k', 'v4', 'none');
    assert.equal((await state.records.get<string>('k'))?.value, 'v4');
  });

  it('operations called together under the lock wait behind one, not each in SQLite’s blocking wait', async () => {
    await open(300);
    other.exec('BEGIN IMMEDIATE');
    let last = performance.now();
    let stallMs = 0;
    const tick = setInterval(() => {
      stallMs = Math.max(stallMs, performance.now() - last);
      last = performance.now();
    }, 2);
    try {
      // Each first try of its own would sleep 20 ms in SQLite's busy handler, the event loop stopped.
      const puts = Array.from({ length: 50 }, (_, i) => state.records.put(`k${i}`, i, 'none'));
      await Promise.all(puts.map(failedAt));
      stallMs = Math.max(stallMs, performance.now() - last);
    } finally {
      clearInterval(tick);
    }
    assert.ok(stallMs < 150, `the event loop stood still for ${Math.round(stallMs)} ms`);
  });
});

/** When `operation` failed, checking that it failed as unavailable, naming the lock. */
async function failedAt(operation: Promise<unknown>): Promise<number> {
  const error = await operation.then(
    () => assert.fail('succeeded under the lock'),
    (e: unknown) => e,
  );
  const at = performance.now();
  assert.ok(error instanceof StateUnavailableError, String(error));
  assert.match(error.message, /SQLITE_BUSY/);
  return at;
}
