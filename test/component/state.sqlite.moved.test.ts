// The state database removed or replaced while the store has it open (an operator deletes the
// state directory, or restores it from a backup): SQLite keeps its open file, so without a check
// every write would go on landing in the file no longer at the path, answered as stored and gone
// at the next start. The store compares the file at the path with the one it opened after every
// operation: when they differ the operation fails with StateUnavailableError (the intake answers
// 503, a press an honest error) and the database at the path is opened for the next one.
// On a POSIX system an unlinked file stays usable by whoever has it open
// (https://pubs.opengroup.org/onlinepubs/9699919799/functions/unlink.html); the database file, its
// write-ahead log and its index go together (https://www.sqlite.org/wal.html, "the WAL file and
// the wal-index are part of the persistent state of the database"; https://www.sqlite.org/howtocorrupt.html,
// section 1.4), so the tests remove or replace the three, as deleting or restoring the directory does.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { tempDir } from '../fixtures/sqliteTempDir';

/** Removes the database with its log and index, as deleting the state directory does. */
function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

/** Another database (as a backup restored over the state directory would be), holding `records`. */
function anotherDatabase(file: string, records: Record<string, unknown>): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE records (key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL, expires_at INTEGER)',
  );
  const insert = db.prepare('INSERT INTO records (key, value, version, expires_at) VALUES (?, ?, 1, NULL)');
  for (const [key, value] of Object.entries(records)) insert.run(key, JSON.stringify(value));
  db.close();
}

/** The keys stored in the file at `file`, read by a connection of its own. */
function keysIn(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT key FROM records ORDER BY key').all() as { key: string }[]).map((r) => r.key);
  } finally {
    db.close();
  }
}

const refused = (e: unknown) => e instanceof StateUnavailableError && /removed or replaced/.test(e.message);

describe('SQLite state store: the database file removed or replaced while open', () => {
  let dir: string;
  let file: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'state.db');
    state = new SqliteState(file);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the write made after the file was replaced, and the next one lands in the new file', async () => {
    await state.records.put('before', 1, 'none');
    removeDatabase(file);
    anotherDatabase(file, { restored: 'yes' });

    await assert.rejects(state.records.put('lost', 2, 'none'), refused);
    assert.deepEqual(keysIn(file), ['restored'], 'the refused write is not in the file at the path');

    await state.records.put('after', 3, 'none');
    assert.deepEqual(keysIn(file), ['after', 'restored']);
    assert.equal((await state.records.get<string>('restored'))?.value, 'yes');
    assert.equal(await state.records.get('before'), null, 'what the old file held is gone with it');
  });

  it('refuses the write made after the file was removed, and the next one starts a fresh file', async () => {
    await state.records.put('before', 1, 'none');
    removeDatabase(file);

    await assert.rejects(state.outbox.enqueue('e1', { eventId: 'e1' }), refused);
    await state.outbox.enqueue('e2', { eventId: 'e2' });
    assert.equal(await state.outbox.size(), 1);
    assert.deepEqual(keysIn(file), [], 'a fresh database at the path');
    const again = new SqliteState(file);
    try {
      assert.equal((await again.outbox.lease(60_000))?.id, 'e2', 'another process sees the write that was answered');
    } finally {
      await again.close();
    }
  });

  it('refuses a read of the file no longer at the path, and the readiness check', async () => {
    await state.records.put('k', 'old', 'none');
    removeDatabase(file);
    anotherDatabase(file, { k: 'restored' });
    await assert.rejects(state.records.get('k'), refused);
    assert.equal((await state.records.get<string>('k'))?.value, 'restored');

    removeDatabase(file);
    anotherDatabase(file, {});
    await assert.rejects(state.check(), refused);
    await state.check();
  });

  it('letting go of the old file leaves the new database and its log alone', async () => {
    await state.records.put('before', 1, 'none');
    removeDatabase(file);
    anotherDatabase(file, {});
    // Another process already on the new file, its commits still in the log.
    const other = new Database(file);
    try {
      other.pragma('journal_mode = WAL');
      other.prepare("INSERT INTO records (key, value, version) VALUES ('other', '1', 1)").run();
      await assert.rejects(state.records.put('lost', 2, 'none'), refused);
      assert.ok(fs.existsSync(`${file}-wal`), 'the new log is still there');
      await state.records.put('after', 3, 'none');
    } finally {
      other.close();
    }
    assert.deepEqual(keysIn(file), ['after', 'other']);
  });

  it('names no path in what it says', async () => {
    await state.records.put('before', 1, 'none');
    removeDatabase(file);
    const e = await state.records.put('lost', 2, 'none').then(
      () => null,
      (err: unknown) => err,
    );
    assert.ok(e instanceof StateUnavailableError);
    assert.ok(!e.message.includes(dir), e.message);
  });
});
