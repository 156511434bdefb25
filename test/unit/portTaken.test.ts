// A port another program holds (3978 is every bot sample's default): the start says which port
// and that PORT chooses another, and the sandbox launcher finds out before it writes anything,
// so the other sandbox's CA file (.sandbox/sandbox-ca.pem, which the README's curl example trusts)
// and state stay as they were. Node reports the taken port as EADDRINUSE:
// https://nodejs.org/api/net.html#serverlisten

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import pino from 'pino';
import * as restify from 'restify';
import { readConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';
import { listen } from '../../src/serverListen';
import { runSandbox, SANDBOX_HOST } from '../../src/sandbox/start';

const TAKEN =
  /^Port \d+ is already in use by another program\. Stop that program, or choose a free port with PORT \(for example PORT=\d+ npm start\)\.$/;

/** A port held by a server that accepts connections and answers nothing. */
async function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const holder = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => holder.listen(0, SANDBOX_HOST, () => resolve()));
  const port = (holder.address() as net.AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => holder.close(() => resolve())) };
}

describe('a port another program holds', function () {
  this.timeout(10_000);

  it('the bot refuses to start naming the port and PORT, not "listen EADDRINUSE"', async () => {
    const held = await holdPort();
    const server = restify.createServer();
    try {
      await assert.rejects(listen(server, held.port, SANDBOX_HOST), (e: Error) => {
        assert.match(e.message, TAKEN);
        assert.ok(e.message.includes(`Port ${held.port} `));
        return true;
      });
    } finally {
      await held.close();
    }
  });

  it('the sandbox launcher refuses before it writes its CA file or starts anything', async () => {
    const held = await holdPort();
    const ca = path.join(projectRoot(), '.sandbox', 'sandbox-ca.pem');
    const before = fs.existsSync(ca) ? fs.readFileSync(ca, 'utf8') : null;
    const config = readConfig({ PORT: String(held.port) });
    assert.equal(config.mode, 'sandbox');
    try {
      await assert.rejects(runSandbox(config, pino({ level: 'silent' }), __filename), (e: Error) => {
        assert.match(e.message, TAKEN);
        return true;
      });
      assert.equal(fs.existsSync(ca) ? fs.readFileSync(ca, 'utf8') : null, before, 'the CA file is untouched');
    } finally {
      await held.close();
    }
  });
});
