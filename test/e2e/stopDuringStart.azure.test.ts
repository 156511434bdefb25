// A SIGTERM heard while the start still waits for an answer (src/index.ts): the start is held, not
// blocked, where the bot first calls its Azure store (Azurite behind a proxy that holds the
// connection until the test lets it through), so the signal is handled during the start, the stop
// is kept ("starting": true), and runs once the start ends: bot.stopped, exit 0.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { Azurite, startAzurite } from '../fixtures/azurite';
import { freePort } from '../fixtures/ports';
import { World, startWorld } from './harness';

describe('a SIGTERM while the start waits for its store', function () {
  this.timeout(60_000);
  let azurite: Azurite;
  let world: World;
  before(async () => {
    azurite = await startAzurite({ queue: true });
    world = await startWorld();
  });
  after(async () => {
    await world?.close();
    await azurite?.stop();
  });

  it('is kept: the stop runs once the start ends, and the bot stops cleanly', async () => {
    const blob = /BlobEndpoint=https?:\/\/127\.0\.0\.1:(\d+)/.exec(azurite.connectionString);
    assert.ok(blob, azurite.connectionString);
    const held: net.Socket[] = [];
    let open = false;
    const through = (s: net.Socket) => {
      const up = net.connect(Number(blob[1]), '127.0.0.1');
      s.pipe(up).pipe(s);
      s.on('error', () => up.destroy());
      up.on('error', () => s.destroy());
    };
    const proxy = net.createServer((s) => (open ? through(s) : held.push(s)));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const proxyPort = (proxy.address() as net.AddressInfo).port;
    const port = await freePort();
    const child = spawn(process.execPath, ['--no-deprecation', path.join(projectRoot(), 'dist', 'src', 'index.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_EXTRA_CA_CERTS: world.caFile,
        PORT: String(port),
        BOT_ENDPOINT: `http://127.0.0.1:${port}`,
        ...world.botEnv({
          STORAGE_CONNECTION_STRING: azurite.connectionString.replace(`:${blob[1]}`, `:${proxyPort}`),
          STORAGE_CONTAINER: 'stop-during-start',
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    try {
      const deadline = Date.now() + 30_000;
      while (held.length === 0) {
        assert.equal(child.exitCode, null, `the bot ended before it called its store:\n${err}`);
        assert.ok(Date.now() < deadline, 'the bot called its store');
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGTERM');
      const heard = Date.now() + 30_000;
      while (!out.includes('"bot.stopping"')) {
        assert.ok(Date.now() < heard, `the signal was heard during the start:\n${out}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      open = true;
      for (const s of held.splice(0)) through(s);
      await closed;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      proxy.close();
    }
    const lines = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event?: string; starting?: boolean });
    const events = lines.map((l) => l.event);
    assert.equal(lines.find((l) => l.event === 'bot.stopping')?.starting, true, out);
    assert.ok(events.indexOf('bot.stopping') < events.indexOf('bot.started'), out);
    assert.ok(events.indexOf('bot.started') < events.indexOf('bot.stopped'), out);
    assert.equal(child.exitCode, 0, err);
  });
});
