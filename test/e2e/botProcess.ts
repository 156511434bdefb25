// The bot as a child process in end-to-end tests, started exactly as in production (node
// dist/src/index.js) with only the environment given, trusting the world's certificate, on a free
// loopback port; ready once /healthz answers. Its output is kept for assertions on the JSON log lines.

import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';
import { projectRoot } from '../../src/paths';
import { CLOSE_STORE_MS, FLUSH_REFERENCES_MS, SHUTDOWN_MS, STOP_INSTANCE_MS } from '../../src/shutdown';
import { freePort } from '../fixtures/ports';
import type { World } from './harness';

export interface BotProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** JSON lines printed on stdout. */
  lines(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
  /**
   * Stops the bot as production stops it (SIGTERM) and waits until it has exited and all its
   * output is read. It finishes every turn under way, and the work those turns started, before it
   * exits (src/shutdown.ts): afterwards nothing it was asked to do can still happen, the moment to
   * assert that something happened once, or not at all. Fails if it did not stop cleanly.
   */
  drain(): Promise<void>;
}

/** How long a stopping bot waits for the work under way before it goes on without it. */
const DRAIN_MS = SHUTDOWN_MS - CLOSE_STORE_MS - STOP_INSTANCE_MS - FLUSH_REFERENCES_MS;

/** Starts `node dist/src/index.js` as production does, with only the given environment. */
export async function startBot(
  world: World,
  env: Record<string, string>,
  entry: string = path.join(projectRoot(), 'dist', 'src', 'index.js'),
): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--no-deprecation', entry], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: world.caFile,
      PORT: String(port),
      // The sign-in pages' origin: the bot's own loopback URL in these tests.
      BOT_ENDPOINT: `http://127.0.0.1:${port}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}):\n${err}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the bot did not answer /healthz:\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
    drain: async () => {
      assert.equal(child.exitCode, null, 'the bot is running');
      // 'close' comes once the process has exited and its output has been read to the end.
      const closed = new Promise<void>((r) => child.once('close', () => r()));
      const from = Date.now();
      child.kill('SIGTERM');
      await closed;
      assert.equal(child.exitCode, 0, `the bot stopped cleanly:\n${err}`);
      // The wait for the work under way ends at its deadline, work or no work: a stop that took
      // that long may have cut some short, and then nothing is proven.
      assert.ok(Date.now() - from < DRAIN_MS, 'the work under way finished before the stop would have cut it');
    },
  };
}
