// A write-ahead log damaged while no bot had the database open. A process that stops without
// closing (a crash, a kill) leaves its last transactions in state.db-wal; SQLite's recovery replays
// the log only up to its first frame that fails its checksum and drops the rest without a word
// (https://www.sqlite.org/wal.html, "valid frames": https://www.sqlite.org/fileformat2.html#walformat).
// A log torn or written over by another program (https://www.sqlite.org/howtocorrupt.html, section 1)
// would then lose events the intake had answered 202 for, and nobody would hear of it. The store
// reports it (/readyz counts it) and keeps a copy of the log; an intact log raises nothing.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteState } from '../../src/state/sqlite';
import { problemTexts } from '../fixtures/problemTexts';

const SUFFIXES = ['', '-wal', '-shm'];

/** The files a bot leaves when it stops without closing the database: its records k1..k3, each in
 * a transaction of its own, still only in the log (copied while the writer is still open). */
async function crashedDatabase(): Promise<{ dir: string; file: string }> {
  const live = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-wal-live-'));
  const writer = new SqliteState(path.join(live, 'state.db'));
  for (const key of ['k1', 'k2', 'k3']) await writer.records.put(key, { key }, 'none');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-wal-'));
  for (const suffix of SUFFIXES)
    fs.copyFileSync(path.join(live, `state.db${suffix}`), path.join(dir, `state.db${suffix}`));
  await writer.close();
  fs.rmSync(live, { recursive: true, force: true });
  assert.ok(fs.statSync(path.join(dir, 'state.db-wal')).size > 0, 'the records are in the log');
  return { dir, file: path.join(dir, 'state.db') };
}

const keys = async (state: SqliteState) =>
  (await Promise.all(['k1', 'k2', 'k3'].map(async (k) => ((await state.records.get(k)) ? k : null)))).filter(Boolean);

describe('SQLite state store: a damaged write-ahead log at start', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('recovers an intact log in full and reports nothing (a crash alone is no damage)', async () => {
    const { dir, file } = await crashedDatabase();
    dirs.push(dir);
    const state = new SqliteState(file);
    assert.deepEqual(await keys(state), ['k1', 'k2', 'k3']);
    assert.deepEqual(problemTexts(state), []);
    await state.close();
  });

  it('reports nothing for a transaction cut short by a kill in the middle of its write (never committed)', async () => {
    const { dir, file } = await crashedDatabase();
    dirs.push(dir);
    // A frame of the log's own generation (its salts), half written, after the last commit: what a
    // process killed while writing its next transaction leaves. Its wal-index still counts only the
    // committed frames, so recovery loses nothing that was ever answered "stored".
    const wal = `${file}-wal`;
    const header = fs.readFileSync(wal).subarray(0, 32);
    const frame = Buffer.alloc(24 + 1000, 0x5a);
    frame.writeUInt32BE(2, 0); // page number
    frame.writeUInt32BE(0, 4); // not a commit frame
    header.copy(frame, 8, 16, 24); // the log's salts
    fs.appendFileSync(wal, frame);
    const state = new SqliteState(file);
    assert.deepEqual(problemTexts(state), []);
    assert.deepEqual(await keys(state), ['k1', 'k2', 'k3']);
    await state.close();
  });

  it("reports nothing when the wal-index is an older log generation's (a power loss: the -shm file is never synced)", async () => {
    const { dir, file } = await crashedDatabase();
    dirs.push(dir);
    // The index's header (both copies) as an earlier generation of the log left it: other salts
    // and a larger count of frames. SQLite rebuilds the index from the log on open and ignores it;
    // the log itself is whole (https://www.sqlite.org/walformat.html#the_wal_index_header).
    const shm = fs.readFileSync(`${file}-shm`);
    for (const at of [0, 48]) {
      if (os.endianness() === 'LE') shm.writeUInt32LE(1000, at + 16);
      else shm.writeUInt32BE(1000, at + 16);
      shm.writeUInt32BE(0x0badc0de, at + 32);
    }
    fs.writeFileSync(`${file}-shm`, shm);
    const state = new SqliteState(file);
    assert.deepEqual(problemTexts(state), []);
    assert.deepEqual(await keys(state), ['k1', 'k2', 'k3']);
    await state.close();
  });

  it('opens all the same when the log cannot be checked (too big to read at once), and says so', async () => {
    const { dir, file } = await crashedDatabase();
    dirs.push(dir);
    // A log over 2 GiB: Node refuses to read it into one buffer (ERR_FS_FILE_TOO_LARGE), though
    // SQLite opens it. https://nodejs.org/api/errors.html#err_fs_file_too_large
    // The module object itself (this file's namespace import only has getters onto it).
    const nodeFs = createRequire(__filename)('node:fs') as { readFileSync: typeof fs.readFileSync };
    const read = nodeFs.readFileSync;
    (nodeFs as { readFileSync: unknown }).readFileSync = (p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (String(p).endsWith('-wal'))
        throw Object.assign(new RangeError('File size is greater than 2 GiB'), { code: 'ERR_FS_FILE_TOO_LARGE' });
      return (read as (...a: unknown[]) => unknown)(p, ...rest);
    };
    try {
      // The log stays too big: before, every open (and so every operation) failed on it.
      const state = new SqliteState(file);
      await state.check();
      assert.deepEqual(await keys(state), ['k1', 'k2', 'k3']);
      assert.equal(problemTexts(state).length, 1);
      assert.match(
        problemTexts(state)[0]!,
        /write-ahead log could not be checked for damage \(ERR_FS_FILE_TOO_LARGE\)/,
      );
      await state.close();
    } finally {
      nodeFs.readFileSync = read;
    }
  });

  // What SQLite recovers: the records before the damage.
  const damages: [string, (wal: string) => void, string[]][] = [
    ['its last frame torn (cut short)', (wal) => fs.truncateSync(wal, fs.statSync(wal).size - 100), ['k1', 'k2']],
    [
      'its frames written over by another program',
      (wal) => {
        const size = fs.statSync(wal).size;
        const fd = fs.openSync(wal, 'r+');
        fs.writeSync(fd, Buffer.alloc(size - 32, 0x5a), 0, size - 32, 32);
        fs.closeSync(fd);
      },
      [],
    ],
    [
      'its header written over',
      (wal) => {
        const fd = fs.openSync(wal, 'r+');
        fs.writeSync(fd, Buffer.alloc(32, 0x41), 0, 32, 0);
        fs.closeSync(fd);
      },
      [],
    ],
  ];

  for (const [how, damage, recovered] of damages) {
    it(`reports a log with ${how}, keeps a copy of it, and runs on what SQLite recovers`, async () => {
      const { dir, file } = await crashedDatabase();
      dirs.push(dir);
      damage(`${file}-wal`);
      const damaged = fs.readFileSync(`${file}-wal`);
      const state = new SqliteState(file);
      const problems = problemTexts(state);
      assert.equal(problems.length, 1, `reported: ${JSON.stringify(problems)}`);
      assert.match(
        problems[0]!,
        /write-ahead log was damaged: \d+ frames of the \d+ written could be recovered.*lost; the log was copied aside as state\.db\.corrupt-\d+-wal$/,
      );
      assert.ok(!problems[0]!.includes(dir), 'no path in the report');
      const aside = fs.readdirSync(dir).find((f) => /^state\.db\.corrupt-\d+-wal$/.test(f));
      assert.ok(aside && fs.readFileSync(path.join(dir, aside)).equals(damaged), 'the damaged log is kept as it was');
      assert.deepEqual(await keys(state), recovered, 'what came before the damage is recovered, the rest is not');
      // The store works on: it takes writes, and a restart raises the same damage no more.
      assert.ok(await state.records.create('after', 1, 'none'));
      await state.check();
      await state.close();
      const again = new SqliteState(file);
      assert.deepEqual(problemTexts(again), []);
      assert.ok(await again.records.get('after'));
      await again.close();
    });
  }

  it("reports a log that is not SQLite's found beside a database closed cleanly (no index says what it held)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-wal-'));
    dirs.push(dir);
    const file = path.join(dir, 'state.db');
    const before = new SqliteState(file);
    await before.records.put('k1', { key: 'k1' }, 'none');
    await before.close();
    fs.writeFileSync(`${file}-wal`, Buffer.alloc(4096, 0x5a));
    const state = new SqliteState(file);
    assert.equal(problemTexts(state).length, 1);
    assert.match(problemTexts(state)[0]!, /0 frames could be recovered, and any changes written after them are lost/);
    assert.deepEqual(await keys(state), ['k1'], 'the database itself is whole');
    await state.close();
  });
});
