// The SQLite state store: what only a file on one machine can get wrong: a damaged file, an
// unreadable row, an unwritable directory. The storage contract is state.sqlite.storage.test.ts.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { damageHeader } from '../fixtures/damagedSqlite';
import { problemTexts } from '../fixtures/problemTexts';
import { tempDir } from '../fixtures/sqliteTempDir';

describe('SQLite state store', () => {
  describe('on one machine', () => {
    let dir: string;
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(() => {
      fs.chmodSync(dir, 0o700);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('sets a damaged database file aside, reports it and starts afresh', async () => {
      const file = path.join(dir, 'state.db');
      const before = new SqliteState(file);
      await before.records.put('k', 1, 'none');
      await before.close();
      fs.writeFileSync(file, Buffer.from('this is not a database, just garbage bytes '.repeat(200)));
      const state = new SqliteState(file);
      const problems = problemTexts(state);
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /damaged and set aside as state\.db\.corrupt-\d+$/);
      assert.ok(!problems[0]!.includes(dir), 'no path in the report');
      const aside = fs.readdirSync(dir).find((f) => /^state\.db\.corrupt-\d+$/.test(f));
      assert.ok(aside, 'the damaged file is kept');
      assert.match(fs.readFileSync(path.join(dir, aside)).toString(), /just garbage bytes/);
      await state.check();
      assert.equal(await state.records.get('k'), null);
      assert.ok(await state.records.create('k', 2, 'none'));
      await state.close();
    });

    it('a damaged file is set aside only once no other process has it open, so all of them stay on one database', async () => {
      const file = path.join(dir, 'state.db');
      const a = new SqliteState(file); // a running process
      await a.records.put('x', 1, 'none');
      // Everything checkpointed into the main file, then its header damaged on disk.
      damageHeader(file);

      // A second process starts while A has the file open. Were it to set the file aside, A would
      // go on writing into the file set aside (it keeps its open handle), B into a fresh one.
      const b = new SqliteState(file);
      const refused = await b.outbox.size().then(
        (n) => assert.fail(`B opened a database of its own (${n} items)`),
        (e: unknown) => e,
      );
      assert.ok(refused instanceof StateUnavailableError, String(refused));
      assert.match(refused.message, /another bot process on this machine still has it open/);
      assert.match(refused.message, /stop every bot process on this machine, then start them again/);
      assert.ok(!refused.message.includes(dir), 'no path in the message');
      await assert.rejects(b.check(), StateUnavailableError);
      await assert.rejects(b.records.put('y', 2, 'none'), StateUnavailableError, 'B acknowledges no write');
      assert.deepEqual(problemTexts(b), []);
      assert.deepEqual(
        fs.readdirSync(dir).filter((f) => f.includes('corrupt')),
        [],
        'the file A has open is still the one at the path',
      );

      // A finds the damage on its next write: refused, and A lets go of the file.
      await assert.rejects(a.outbox.enqueue('ev1', { eventId: 'ev1' }), StateUnavailableError);
      // Nobody has it open now: B sets it aside and starts afresh, and A follows onto the fresh file.
      assert.equal(await b.outbox.size(), 0);
      assert.match(problemTexts(b).join(), /damaged and set aside as state\.db\.corrupt-\d+/);
      await a.outbox.enqueue('ev1', { eventId: 'ev1' });
      await b.outbox.enqueue('ev2', { eventId: 'ev2' });
      assert.deepEqual([await a.outbox.size(), await b.outbox.size()], [2, 2], 'one database');
      assert.deepEqual(problemTexts(a), [], 'set aside once, by B');
      await a.close();
      await b.close();
    });

    it('quarantines a row whose value is not JSON: get gives null, the row is kept aside', async () => {
      const file = path.join(dir, 'state.db');
      const state = new SqliteState(file);
      await state.records.put('claim:x', { by: 'u1' }, 'none');
      await state.records.put('claim:y', { by: 'u2' }, 'none');
      const raw = new Database(file);
      raw.prepare("UPDATE records SET value = 'garbage {' WHERE key = 'claim:x'").run();
      raw.close();
      assert.equal(await state.records.get('claim:x'), null);
      assert.deepEqual((await state.records.get('claim:y'))?.value, { by: 'u2' });
      assert.equal(problemTexts(state).length, 1);
      assert.match(problemTexts(state)[0]!, /"claim:x": its value is not JSON/);
      assert.ok(await state.records.create('claim:x', { by: 'u3' }, 'none'), 'the key can be written again');
      await state.close();
      const check = new Database(file, { readonly: true });
      assert.deepEqual(check.prepare('SELECT key, value FROM quarantine').all(), [
        { key: 'claim:x', value: 'garbage {' },
      ]);
      check.close();
    });

    it("setting an unreadable row aside never deletes another process's write that landed meanwhile", async function () {
      this.timeout(30_000);
      const file = path.join(dir, 'state.db');
      const state = new SqliteState(file);
      await state.records.put('claim:x', { by: 'u1' }, 'none');
      const raw = new Database(file);
      raw.prepare("UPDATE records SET value = 'garbage {' WHERE key = 'claim:x'").run();
      raw.close();
      const reading = new Int32Array(new SharedArrayBuffer(4));
      // Another process has written the key anew and not yet committed: the read still sees the
      // unreadable row, and setting it aside waits for the lock until that write has landed.
      const writer = new Worker(
        `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
        const { parentPort, workerData } = require('node:worker_threads');
        const db = new Database(workerData.file);
        db.exec('BEGIN IMMEDIATE');
        db.prepare("UPDATE records SET value = '{\\"by\\":\\"u2\\"}', version = 7 WHERE key = 'claim:x'").run();
        parentPort.postMessage('holding');
        // Hold the write until the reader has started, then long enough for it to meet the row.
        Atomics.wait(workerData.reading, 0, 0);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
        db.exec('COMMIT');
        db.close();`,
        { eval: true, workerData: { file, reading } },
      );
      await new Promise((resolve, reject) => writer.once('message', resolve).once('error', reject));
      // The hold's 500 ms count from here, not from the message above, so a main thread slow to
      // take the message under load still reads before the write commits.
      Atomics.store(reading, 0, 1);
      Atomics.notify(reading, 0);
      assert.equal(await state.records.get('claim:x'), null, 'the unreadable row it met');
      await new Promise((resolve) => writer.once('exit', resolve));
      assert.match(
        problemTexts(state).join('\n'),
        /"claim:x": its value is not JSON/,
        'it did meet the unreadable row',
      );
      assert.deepEqual(
        await state.records.get('claim:x'),
        { value: { by: 'u2' }, version: '7' },
        'the write landed stays',
      );
      await state.close();
      const check = new Database(file, { readonly: true });
      assert.deepEqual(check.prepare('SELECT key, value FROM quarantine').all(), [
        { key: 'claim:x', value: 'garbage {' },
      ]);
      check.close();
    });

    it('sets an outbox item whose payload is not JSON aside and leases the next', async () => {
      const file = path.join(dir, 'state.db');
      const state = new SqliteState(file, { now: () => 1000 });
      await state.outbox.enqueue('a', { eventId: 'a' }, 1);
      await state.outbox.enqueue('b', { eventId: 'b' }, 2);
      const raw = new Database(file);
      raw.prepare("UPDATE queue SET payload = 'garbage' WHERE id = 'a'").run();
      raw.close();
      const lease = await state.outbox.lease(60_000);
      assert.equal(lease?.id, 'b');
      assert.equal(await state.outbox.size(), 1);
      assert.match(problemTexts(state).join('\n'), /outbox item "a": its payload is not JSON/);
      await state.close();
    });

    it('an unwritable directory gives StateUnavailableError naming no path, and recovers', async function () {
      fs.chmodSync(dir, 0o500);
      if (canWrite(dir)) this.skip(); // root ignores the mode
      for (const file of [path.join(dir, 'state.db'), path.join(dir, 'sub', 'state.db')]) {
        const state = new SqliteState(file);
        for (const attempt of [state.check(), state.records.put('k', 1, 'none'), state.outbox.size()]) {
          const error = await attempt.then(
            () => assert.fail('stored in an unwritable directory'),
            (e: unknown) => e,
          );
          assert.ok(error instanceof StateUnavailableError, String(error));
          assert.ok(!error.message.includes(dir) && !error.message.includes('/'), error.message);
        }
        fs.chmodSync(dir, 0o700);
        assert.ok(await state.records.put('k', 1, 'none'), 'opens once the directory is writable');
        await state.close();
        fs.chmodSync(dir, 0o500);
      }
    });

    // The test above is skipped where it runs as root (CI's container), which writes whatever the
    // mode says; a file standing where the directory must be refuses every user alike.
    it('a directory that cannot be made (a file in its place) gives StateUnavailableError naming no path, and recovers', async () => {
      const blocked = path.join(dir, 'blocked');
      for (const file of [path.join(blocked, 'state.db'), path.join(blocked, 'sub', 'state.db')]) {
        fs.writeFileSync(blocked, 'not a directory');
        const state = new SqliteState(file);
        for (const attempt of [state.check(), state.records.put('k', 1, 'none'), state.outbox.size()]) {
          const error = await attempt.then(
            () => assert.fail('stored where no directory can be made'),
            (e: unknown) => e,
          );
          assert.ok(error instanceof StateUnavailableError, String(error));
          assert.ok(!error.message.includes(dir) && !error.message.includes('/'), error.message);
        }
        fs.rmSync(blocked);
        assert.ok(await state.records.put('k', 1, 'none'), 'opens once the directory can be made');
        await state.close();
        fs.rmSync(blocked, { recursive: true });
      }
    });
  });
});

function canWrite(dir: string): boolean {
  const probe = path.join(dir, '.probe');
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
    return true;
  } catch {
    return false;
  }
}
