// A SIGTERM that reaches the bot while it is still starting (a platform stopping an instance it
// has just started, a scale-in, a deployment swap) is heard: the start ends, then the process
// stops as any other does (bot.stopping, its store closed, exit 0), rather than the signal's
// default action ending it where it stands with no word in its log.
// The start is held where it opens the state store: the test holds the exclusive lock on the
// store's companion file (src/state/sqliteHolders.ts), which the bot waits for, and sends the
// signal once the bot has that file open.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { freePort } from '../fixtures/ports';
import { World, startWorld } from './harness';

/** True once process `pid` has `file` open (Linux: its descriptors in /proc). */
function hasOpen(pid: number, file: string): boolean {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe('a SIGTERM during the start', function () {
  this.timeout(60_000);
  let world: World;
  let stateDir: string;

  before(async () => {
    world = await startWorld();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-stop-start-'));
  });
  after(async () => {
    await world?.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('is heard: the start ends, then the bot stops cleanly with its store closed', async () => {
    const holdersFile = path.join(stateDir, 'state.db-holders');
    const lock = new Database(holdersFile);
    lock.exec('BEGIN EXCLUSIVE');
    let locked = true;
    const port = await freePort();
    const child = spawn(process.execPath, ['--no-deprecation', path.join(projectRoot(), 'dist', 'src', 'index.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_EXTRA_CA_CERTS: world.caFile,
        PORT: String(port),
        BOT_ENDPOINT: `http://127.0.0.1:${port}`,
        ...world.botEnv({ STATE_DIRECTORY: stateDir }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    try {
      const deadline = Date.now() + 20_000;
      while (!hasOpen(child.pid!, holdersFile)) {
        assert.equal(child.exitCode, null, `the bot ended before it opened its store:\n${err}`);
        assert.ok(Date.now() < deadline, 'the bot opened its store');
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGTERM');
      lock.exec('COMMIT');
      locked = false;
      await closed;
    } finally {
      if (locked) lock.exec('COMMIT');
      lock.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    assert.equal(child.signalCode, null, `the signal's default action did not end the process:\n${err}`);
    assert.equal(child.exitCode, 0, err);
    const events = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { event?: string }).event);
    assert.ok(events.indexOf('bot.stopping') >= 0, out);
    assert.ok(events.indexOf('bot.stopping') < events.indexOf('bot.stopped'), out);
    // Closed cleanly: the last connection's close checkpoints the log and removes it.
    assert.ok(!fs.existsSync(path.join(stateDir, 'state.db-wal')), 'the write-ahead log was checkpointed away');
  });
});
