// The SQLite state store: the storage contract, and what only a file on one machine can get
// wrong: two processes on one file, a damaged file, an unreadable row, an unwritable directory.

import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { damageHeader } from '../fixtures/damagedSqlite';
import { stateContract } from './stateContract';
import { problemTexts } from '../fixtures/problemTexts';

const LEASER = path.join(projectRoot(), 'dist', 'test', 'fixtures', 'outboxLeaser.js');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-sqlite-'));
}

describe('SQLite state store', () => {
  describe('the storage contract', () => {
    stateContract(
      async () => {
        const dir = tempDir();
        let clock = 1_700_000_000_000;
        const state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
        return {
          state,
          now: () => clock,
          advance: (ms) => {
            clock += ms;
          },
          close: async () => {
            await state.close();
            fs.rmSync(dir, { recursive: true, force: true });
          },
        };
      },
      { dedupesEnqueue: true },
    );
  });

  describe('on one machine', () => {
    let dir: string;
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(() => {
      fs.chmodSync(dir, 0o700);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the sweep removes expired rows from the file, up to its limit', async function () {
      // Thousands of commits, each synced to disk (synchronous=FULL): seconds on a slow disk.
      this.timeout(120_000);
      const file = path.join(dir, 'state.db');
      let clock = 1_700_000_000_000;
      const state = new SqliteState(file, { now: () => clock });
      for (let i = 0; i < 1_200; i++) await state.records.create(`turn:${i}`, true, { ttlMs: 600_000 });
      await state.records.put('claim:kept', { by: 'u1' }, 'none');
      clock += 600_000;
      assert.equal(await state.sweepExpired(1_000), 1_000, 'stops at its limit');
      assert.equal(await state.sweepExpired(), 200);
      await state.close();
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT key FROM records').all() as Array<{ key: string }>;
      db.close();
      assert.deepEqual(
        rows.map((r) => r.key),
        ['claim:kept'],
        'only the record without expiry is left in the file',
      );
    });

    // Shutdown (or the periodic row lost) raises the stop while a batch is being deleted: that
    // batch ends, no further one starts (the store may be closing), and a later sweep takes the rest.
    it('a sweep told to stop mid-way deletes nothing more and leaves the rest for the next sweep', async function () {
      // Thousands of commits, each synced to disk (synchronous=FULL): seconds on a slow disk.
      this.timeout(120_000);
      const file = path.join(dir, 'state.db');
      let clock = 1_700_000_000_000;
      const stop = new AbortController();
      let sweeping = false;
      const state = new SqliteState(file, {
        // The sweep reads the clock as it deletes a batch: the stop arrives during the first one.
        now: () => {
          if (sweeping) stop.abort(new Error('shutdown'));
          return clock;
        },
      });
      for (let i = 0; i < 1_200; i++) await state.records.create(`turn:${i}`, true, { ttlMs: 600_000 });
      clock += 600_000;
      sweeping = true;
      assert.equal(await state.sweepExpired(10_000, stop.signal), 500, 'only the batch under way when told to stop');
      sweeping = false;
      await state.close();
      const db = new Database(file, { readonly: true });
      const left = (db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
      db.close();
      assert.equal(left, 700, 'no delete after the stop');
      const next = new SqliteState(file, { now: () => clock });
      assert.equal(await next.sweepExpired(), 700, 'the next sweep takes the rest');
      await next.close();
    });

    it('two processes leasing from one file complete each of 200 items exactly once', async function () {
      this.timeout(60_000);
      const file = path.join(dir, 'state.db');
      const setup = new SqliteState(file);
      for (let i = 0; i < 200; i++) await setup.outbox.enqueue(`e${i}`, { eventId: `event-${i}` });
      await setup.close();
      const children = [0, 1].map(() => fork(LEASER, [file], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
      const results = children.map(
        (child) =>
          new Promise<{ leased: string[]; completed: string[] }>((resolve, reject) => {
            let stderr = '';
            child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('message', (m) => {
              if (typeof m === 'object') resolve(m as { leased: string[]; completed: string[] });
            });
            child.on('exit', (code) => reject(new Error(`leaser exited ${code}: ${stderr}`)));
          }),
      );
      await Promise.all(
        children.map((child) => new Promise((resolve) => child.on('message', (m) => m === 'ready' && resolve(m)))),
      );
      for (const child of children) child.send('go');
      const [a, b] = await Promise.all(results);
      const completed = [...a!.completed, ...b!.completed].sort();
      assert.equal(completed.length, 200, `A completed ${a!.completed.length}, B ${b!.completed.length}`);
      assert.equal(new Set(completed).size, 200, 'no item completed twice');
      assert.equal(a!.leased.length + b!.leased.length, 200, 'no item leased twice');
      assert.ok(a!.completed.length > 0 && b!.completed.length > 0, 'both processes really took part');
      const after = new SqliteState(file);
      assert.equal(await after.outbox.size(), 0);
      await after.close();
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

    it('a version read before a delete never matches again, and a file written before keeps working', async function () {
      // Thousands of commits, each synced to disk (synchronous=FULL): seconds on a slow disk.
      this.timeout(120_000);
      const file = path.join(dir, 'state.db');
      const old = new Database(file);
      old.exec(
        'CREATE TABLE records (key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL, expires_at INTEGER)',
      );
      old.prepare("INSERT INTO records VALUES ('k', '1', 1, NULL)").run();
      old.close();
      const state = new SqliteState(file);
      const first = await state.records.replace('k', 2, '1', 'none');
      assert.ok(first, 'a version stored by an earlier release is still the one to write at');
      const seen = new Set<string>(['1', first]);
      for (let i = 0; i < 2000; i++) {
        assert.equal(await state.records.delete('k'), true);
        const again = await state.records.create('k', i, 'none');
        assert.ok(again && !seen.has(again), `version ${again} came back after a delete`);
        seen.add(again);
      }
      assert.equal(await state.records.replace('k', 'stale', first, 'none'), null, 'a write at an old version loses');
      await state.close();
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
