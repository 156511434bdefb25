// The HTTP server keeps idle connections longer than the proxies and clients in front of it, so
// it is never the side that closes a connection a client is about to reuse. With Node's 5 s
// default a bench saw 'other side closed' on ~2% of clicks: the client had sent a request on a
// keep-alive connection the server closed at that instant.
// Node: server.keepAliveTimeout, and headersTimeout must be larger than it:
// https://nodejs.org/api/http.html#serverkeepalivetimeout

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { Writable } from 'node:stream';
import { ActivityHandler } from 'botbuilder';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { createAdapter } from '../../src/bot/adapter';
import { HttpServer, createServer, listen } from '../../src/server';

describe('listen', () => {
  let running: HttpServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('keeps idle connections for over a minute, and waits for headers longer still', async () => {
    const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    const config = readConfig({});
    running = await listen(createServer(createAdapter(config, logger), new ActivityHandler(), logger), 0, '127.0.0.1');
    const server = running.server.server;
    assert.ok(server.keepAliveTimeout > 60_000, `keepAliveTimeout is ${server.keepAliveTimeout} ms`);
    assert.ok(server.headersTimeout > server.keepAliveTimeout, `headersTimeout is ${server.headersTimeout} ms`);
  });

  // A request under way when the server closes: Node's close() waits for its connection to end,
  // but a kept-alive connection does not end after the answer (it is reused, or kept idle for the
  // keep-alive timeout), so close() waited for over a minute, the shutdown's whole drain, and the
  // client could send new requests on it meanwhile. Answers given while closing say
  // `Connection: close`, so the connection ends with the last answer
  // (https://www.rfc-editor.org/rfc/rfc9112#name-tear-down).
  it('closes as soon as the requests under way are answered, telling their clients to reconnect', async () => {
    const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    const config = readConfig({});
    const server = createServer(createAdapter(config, logger), new ActivityHandler(), logger);
    let entered!: () => void;
    const inRoute = new Promise<void>((r) => (entered = r));
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    server.get('/test/slow', async (_req, res) => {
      entered();
      await answered;
      res.send(200, { ok: true });
    });
    running = await listen(server, 0, '127.0.0.1');
    const agent = new http.Agent({ keepAlive: true });
    const response = new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${running!.url}/test/slow`, { agent }, resolve).on('error', reject),
    );
    await inRoute;
    let closed = false;
    const closing = running.close().then(() => (closed = true));
    running = undefined;
    answer();
    const res = await response;
    res.resume();
    assert.equal(res.statusCode, 200, 'the request under way was answered');
    assert.equal(res.headers.connection, 'close');
    // Fails by the test's own timeout when close() waits for the keep-alive timeout.
    await closing;
    assert.ok(closed);
    agent.destroy();
  });
});
