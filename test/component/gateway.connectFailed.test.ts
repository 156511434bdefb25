// A write whose connection to Graph could not be made (refused, or its TLS handshake failed) never
// left the bot: the person is told nothing was sent, and no read or re-send follows, never "may or
// may not have taken effect ... check before trying again". A connection that breaks after the
// request went out is still a write whose outcome is unknown. Over the real transport
// (httpsTransport.ts) against local servers.

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import * as net from 'node:net';
import { GraphGateway } from '../../src/graph/graphGateway';
import { httpsFetch } from '../../src/graph/httpsTransport';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { failure, listening, notSent, target, token, unknownOutcome } from './localWrites';

function gatewayAt(port: number, ca?: string): GraphGateway {
  const agent = new https.Agent(ca ? { ca } : {});
  return new GraphGateway({ graphEndpoint: `https://127.0.0.1:${port}`, fetch: httpsFetch({ agent }) });
}

describe('gateway: a write whose connection was never made', () => {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  it('connection refused: not sent, nothing changed', async () => {
    const server = net.createServer();
    const port = await listening(server);
    await new Promise((r) => server.close(r));
    notSent(await failure(gatewayAt(port).write(target, token)));
  });

  it('a certificate the bot does not trust: not sent, and the server never saw a request', async () => {
    let requests = 0;
    const server = https.createServer({ cert: tls.cert, key: tls.key }, (_req, res) => {
      requests++;
      res.writeHead(204);
      res.end();
    });
    const port = await listening(server);
    try {
      notSent(await failure(gatewayAt(port).write(target, token)));
      assert.equal(requests, 0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a connection that breaks after the request went out: its outcome is unknown', async () => {
    let requests = 0;
    const server = https.createServer({ cert: tls.cert, key: tls.key }, (req) => {
      requests++;
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    const port = await listening(server);
    try {
      unknownOutcome(await failure(gatewayAt(port, tls.ca).write(target, token)));
      assert.equal(requests, 1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
  it('a write queued behind a busy connection and sent on it when freed: its outcome is unknown', async () => {
    // node:http hands a request that waited for a free socket a kept one without marking it
    // `reusedSocket`; the request is written on it, so a break after is no proof nothing was sent.
    let requests = 0;
    let release: (() => void) | undefined;
    let seen: () => void = () => undefined;
    const first = new Promise<void>((r) => (seen = r));
    const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      requests++;
      req.resume();
      if (requests === 1) {
        release = () => {
          res.writeHead(204);
          res.end();
        };
        seen();
      } else req.on('end', () => req.socket.destroy());
    });
    const port = await listening(server);
    const agent = new https.Agent({ ca: tls.ca, keepAlive: true, maxSockets: 1 });
    const gateway = new GraphGateway({ graphEndpoint: `https://127.0.0.1:${port}`, fetch: httpsFetch({ agent }) });
    try {
      const one = gateway.write(target, token);
      await first;
      const two = failure(gateway.write(target, token));
      // The second request waits in the agent's queue until the first answer frees the socket.
      while (Object.keys(agent.requests).length === 0) await new Promise((r) => setImmediate(r));
      release!();
      await one;
      unknownOutcome(await two);
      assert.equal(requests, 2);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
