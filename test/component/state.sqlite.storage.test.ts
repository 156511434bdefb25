// The SQLite state store: the storage contract, and how a file on one machine keeps it: the sweep
// of expired rows, two processes on one file, versions across deletes. A damaged file, an
// unreadable row and an unwritable directory are state.sqlite.damage.test.ts.

import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { SqliteState } from '../../src/state/sqlite';
import { tempDir } from '../fixtures/sqliteTempDir';
import { stateContract } from './stateContract';

const LEASER = path.join(projectRoot(), 'dist', 'test', 'fixtures', 'outboxLeaser.js');

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
  });
});
