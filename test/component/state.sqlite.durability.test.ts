// What the SQLite store answers as stored (the intake's 202, a click's claim) must survive a power
// loss or an OS crash, not only the bot's own crash. In WAL mode that takes synchronous=FULL: "A
// transaction committed in WAL mode with synchronous=NORMAL might roll back following a power loss
// or system crash" (https://www.sqlite.org/pragma.html#pragma_synchronous), and "Writers sync the
// WAL on every transaction commit if PRAGMA synchronous is set to FULL but omit this sync if PRAGMA
// synchronous is set to NORMAL" (https://www.sqlite.org/wal.html). The setting belongs to the
// connection, and better-sqlite3 builds SQLite with NORMAL as the WAL default, so it is read from
// the store's own connection, on a fresh database and on one started after a damaged file was set
// aside.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteState } from '../../src/state/sqlite';
import { TurnDedup } from '../../src/state/turnDedup';

const FULL = 2;
const NORMAL = 1;

/** The store's own connection (private: the setting cannot be read from another one). */
function connectionOf(state: SqliteState): Database.Database {
  const open = (state as unknown as { current: { db: Database.Database } | null }).current;
  if (!open) throw new Error('the store has no open database');
  return open.db;
}

describe('SQLite state store: commits are durable across a power loss', () => {
  const dirs: string[] = [];
  const freshFile = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-durable-'));
    dirs.push(dir);
    return path.join(dir, 'state.db');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('writes in WAL mode with synchronous=FULL', async () => {
    const state = new SqliteState(freshFile());
    await state.records.put('k', 1, 'none');
    const db = connectionOf(state);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), FULL);
    await state.close();
  });

  it('keeps synchronous=FULL on the fresh database that replaces a damaged one', async () => {
    const file = freshFile();
    fs.writeFileSync(file, Buffer.alloc(4096, 0x41));
    const state = new SqliteState(file);
    await state.check();
    assert.ok(
      fs.readdirSync(path.dirname(file)).some((name) => name.startsWith('state.db.corrupt-')),
      'the damaged file was set aside',
    );
    assert.equal(connectionOf(state).pragma('synchronous', { simple: true }), FULL);
    await state.close();
  });

  // Each command turn writes a redelivery marker; an fsync for it would cost every turn one wait for
  // the disk (about 5 ms here). Its loss to a power cut lets a redelivery after the restart run
  // once more, answered by Graph from the item's state, so it alone is committed with NORMAL, which
  // the next FULL commit or checkpoint puts on disk (pragma_synchronous above). The level is read
  // at the moment of each insert: SQLite applies this pragma when a statement is compiled ("the
  // pragma may run during the sqlite3_prepare() call, not during the sqlite3_step() call",
  // https://www.sqlite.org/pragma.html), so a statement's text proves nothing.
  it('commits only the turn marker without waiting for the disk, and is FULL again right after', async () => {
    const state = new SqliteState(freshFile());
    await state.check();
    const db = connectionOf(state);
    const open = (state as unknown as { current: { records: { insert: { get: (...a: unknown[]) => unknown } } } })
      .current;
    const insert = open.records.insert;
    const levels: unknown[] = [];
    open.records.insert = {
      get: (...a: unknown[]) => {
        levels.push(db.pragma('synchronous', { simple: true }));
        return insert.get(...a);
      },
    };
    assert.equal(await new TurnDedup(state.records).firstTime('a:conversation', 'activity-1'), true);
    await state.records.create('claim:x', 1, { ttlMs: 60_000 });
    await state.records.create('record:y', 1, 'none');
    assert.equal(await new TurnDedup(state.records).firstTime('a:conversation', 'activity-1'), false);
    assert.deepEqual(levels, [NORMAL, FULL, FULL, NORMAL], 'the level each insert ran at');
    assert.equal(db.pragma('synchronous', { simple: true }), FULL, 'FULL again after the marker');
    await state.close();
  });
});
