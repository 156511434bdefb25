// The sandbox runs with inbound authentication off (anyone who reaches the bot can talk to it as
// the demo user), so everything `npm start` opens in sandbox mode must listen on loopback only:
// the bot, the simulated tenant and the Agents Playground. Probed from this machine's own
// non-loopback address: a server bound to 127.0.0.1 refuses the connection there.

import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { freePort } from '../fixtures/ports';

/** An address of this machine that other hosts could use (not loopback, not link-local). */
function outsideAddress(): string | null {
  const all = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
  const usable = all.filter((a) => !a.internal && !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80')));
  return (usable.find((a) => a.family === 'IPv4') ?? usable[0])?.address ?? null;
}

/** 'open' when a TCP connection is accepted, else the connect error's code. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within 10 s`));
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe('sandbox listens on loopback only', function () {
  this.timeout(120_000);
  const outside = outsideAddress();
  if (!outside) {
    it('skipped: this machine has no non-loopback network address to probe from');
    return;
  }

  let child: ChildProcess | null = null;
  let output = '';
  const ports = { bot: 0, tenant: 0, playground: 0 };

  before(async () => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      PORT: String(await freePort()),
      STATE_DIRECTORY: fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-loopback-')),
    };
    const launcher = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'index.js')], {
      env,
      cwd: projectRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = launcher;
    const banner =
      /Open http:\/\/localhost:(\d+)[\s\S]*Bot: http:\/\/127\.0\.0\.1:(\d+)\/api\/messages\s+Simulated tenant: https:\/\/127\.0\.0\.1:(\d+)/;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the sandbox did not start within 90 s:\n${output}`)), 90_000);
      const onData = (c: Buffer): void => {
        output += c.toString();
        const m = banner.exec(output);
        if (m) {
          clearTimeout(timer);
          ports.playground = Number(m[1]);
          ports.bot = Number(m[2]);
          ports.tenant = Number(m[3]);
          resolve();
        }
      };
      launcher.stdout?.on('data', onData);
      launcher.stderr?.on('data', onData);
      launcher.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the sandbox exited with ${code} during start:\n${output}`));
      });
    });
  });

  after(async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    // The launcher stops the bot and the Playground when it stops.
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  });

  const reachableOnLoopbackOnly = async (port: number): Promise<void> => {
    assert.equal(await probe('127.0.0.1', port), 'open', 'answers on loopback');
    assert.equal(await probe(outside, port), 'ECONNREFUSED', `refuses connections on ${outside}`);
  };

  it('the bot (inbound authentication off) is not reachable on a non-loopback address', async () => {
    await reachableOnLoopbackOnly(ports.bot);
  });

  it('the simulated tenant is not reachable on a non-loopback address', async () => {
    await reachableOnLoopbackOnly(ports.tenant);
  });

  it('the Agents Playground is not reachable on a non-loopback address', async () => {
    await reachableOnLoopbackOnly(ports.playground);
  });
});
