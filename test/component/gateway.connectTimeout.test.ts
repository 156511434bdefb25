// A write whose attempt ran out of time while its connection was still being made (TCP or the TLS
// handshake never completed) never left the bot: node:http writes nothing before the socket is
// ready, so the person is told nothing was sent, never "may or may not have taken effect". An
// attempt that ran out of time after its request went out, on a new connection or on a kept one it
// waited for, is still a write whose outcome is unknown. Over the real transport
// (httpsTransport.ts) against local servers; the attempt's deadline fires by hand, once the server
// has seen what the test waits for, so no test depends on how fast a handshake is.

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import * as net from 'node:net';
import { GraphGateway } from '../../src/graph/graphGateway';
import { httpsFetch } from '../../src/graph/httpsTransport';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { failure, listening, notSent, target, token, unknownOutcome } from './localWrites';

/** The attempts' deadlines, each ended by `fire` (or by the attempt's answer). */
class HandTimer {
  private pending: (() => void)[] = [];
  readonly timer = (_ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      this.pending.push(resolve);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  fire(): void {
    for (const r of this.pending.splice(0)) r();
  }
}

function gatewayAt(port: number, agent: https.Agent, clock: HandTimer): GraphGateway {
  return new GraphGateway({
    graphEndpoint: `https://127.0.0.1:${port}`,
    fetch: httpsFetch({ agent }),
    timer: clock.timer,
  });
}

describe('gateway: a write that ran out of time', () => {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  it('while its TLS handshake was still under way: not sent, nothing changed', async () => {
    // A listener that takes the connection and never answers the ClientHello: the handshake never
    // completes, so no byte of the request can have been written.
    const seen: Buffer[] = [];
    let hello: () => void = () => undefined;
    const helloSeen = new Promise<void>((r) => (hello = r));
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => {
      sockets.push(s);
      s.on('data', (d: Buffer) => {
        seen.push(d);
        hello();
      });
    });
    const port = await listening(server);
    const clock = new HandTimer();
    const agent = new https.Agent({ ca: tls.ca });
    try {
      const pending = failure(gatewayAt(port, agent, clock).write(target, token));
      await helloSeen;
      clock.fire();
      notSent(await pending);
      // What reached the listener is the TLS ClientHello (a handshake record), never the request.
      assert.equal(Buffer.concat(seen)[0], 0x16);
      assert.doesNotMatch(Buffer.concat(seen).toString('latin1'), /POST /);
    } finally {
      agent.destroy();
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('after its request went out on a new connection: its outcome is unknown', async () => {
    let requests = 0;
    let got: () => void = () => undefined;
    const requested = new Promise<void>((r) => (got = r));
    const server = https.createServer({ cert: tls.cert, key: tls.key }, (req) => {
      requests++;
      req.resume();
      req.on('end', got);
    });
    const port = await listening(server);
    const clock = new HandTimer();
    const agent = new https.Agent({ ca: tls.ca });
    try {
      const pending = failure(gatewayAt(port, agent, clock).write(target, token));
      await requested;
      clock.fire();
      unknownOutcome(await pending);
      assert.equal(requests, 1);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  it('after its request went out on a kept connection it had waited for: its outcome is unknown', async () => {
    // node:http hands a request that waited for a free socket a kept one without marking it
    // `reusedSocket`: the request is written on it at once, so its deadline is no proof it was not.
    let requests = 0;
    let release: () => void = () => undefined;
    let firstSeen: () => void = () => undefined;
    let secondSeen: () => void = () => undefined;
    const first = new Promise<void>((r) => (firstSeen = r));
    const second = new Promise<void>((r) => (secondSeen = r));
    const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      requests++;
      req.resume();
      if (requests === 1) {
        release = () => {
          res.writeHead(204);
          res.end();
        };
        firstSeen();
      } else req.on('end', secondSeen);
    });
    const port = await listening(server);
    const clock = new HandTimer();
    const agent = new https.Agent({ ca: tls.ca, keepAlive: true, maxSockets: 1 });
    const gateway = gatewayAt(port, agent, clock);
    try {
      const one = gateway.write(target, token);
      await first;
      const two = failure(gateway.write(target, token));
      // The second request waits in the agent's queue until the first answer frees the socket.
      while (Object.keys(agent.requests).length === 0) await new Promise((r) => setImmediate(r));
      release();
      await one;
      await second;
      clock.fire();
      unknownOutcome(await two);
      assert.equal(requests, 2);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  it('while it waited in the queue for a busy connection: not sent, and never sent after', async () => {
    let requests = 0;
    let firstSeen: () => void = () => undefined;
    const first = new Promise<void>((r) => (firstSeen = r));
    const server = https.createServer({ cert: tls.cert, key: tls.key }, (req) => {
      requests++;
      req.resume();
      firstSeen();
    });
    const port = await listening(server);
    const clock = new HandTimer();
    const agent = new https.Agent({ ca: tls.ca, keepAlive: true, maxSockets: 1 });
    const gateway = gatewayAt(port, agent, clock);
    try {
      const one = failure(gateway.write(target, token));
      await first;
      const two = failure(gateway.write(target, token));
      while (Object.keys(agent.requests).length === 0) await new Promise((r) => setImmediate(r));
      // Both deadlines end: the first request went out (unknown), the second never had a socket.
      clock.fire();
      unknownOutcome(await one);
      notSent(await two);
      await new Promise((r) => setImmediate(r));
      assert.equal(requests, 1);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
