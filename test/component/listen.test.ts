// The HTTP server keeps idle connections longer than the proxies and clients in front of it, so
// it is never the side that closes a connection a client is about to reuse. With Node's 5 s
// default a bench saw 'other side closed' on ~2% of clicks: the client had sent a request on a
// keep-alive connection the server closed at that instant.
// Node: server.keepAliveTimeout, and headersTimeout must be larger than it:
// https://nodejs.org/api/http.html#serverkeepalivetimeout

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as net from 'node:net';
import { HttpServer, listen } from '../../src/serverListen';
import { quietServer } from './quietServer';

/** A raw client connection, once the server has accepted it; `text` resolves with all it received. */
async function rawConnection(
  running: HttpServer,
  port: number,
): Promise<{ readonly socket: net.Socket; readonly text: Promise<string> }> {
  const accepted = new Promise<void>((r) => running.server.server.once('connection', () => r()));
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  const text = new Promise<string>((r) => socket.once('close', () => r(received)));
  await accepted;
  return { socket, text };
}

describe('listen', () => {
  let running: HttpServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('keeps idle connections for over a minute, and waits for headers longer still', async () => {
    running = await listen(quietServer(), 0, '127.0.0.1');
    const server = running.server.server;
    assert.ok(server.keepAliveTimeout > 60_000, `keepAliveTimeout is ${server.keepAliveTimeout} ms`);
    assert.ok(server.headersTimeout > server.keepAliveTimeout, `headersTimeout is ${server.headersTimeout} ms`);
  });

  // Node's default requestTimeout (300 s) let a client trickle a request for five minutes per
  // connection. Node takes the smaller of headersTimeout and requestTimeout as the headers timeout,
  // so the request timeout is not set below the headers timeout.
  // https://nodejs.org/docs/latest-v20.x/api/http.html#serverrequesttimeout
  it('cuts a request that has not arrived whole within little over a minute', async () => {
    running = await listen(quietServer(), 0, '127.0.0.1');
    const server = running.server.server;
    assert.ok(server.requestTimeout >= server.headersTimeout, `requestTimeout is ${server.requestTimeout} ms`);
    assert.ok(server.requestTimeout <= 70_000, `requestTimeout is ${server.requestTimeout} ms`);
  });

  // A request under way when the server closes: Node's close() waits for its connection to end,
  // but a kept-alive connection does not end after the answer (it is reused, or kept idle for the
  // keep-alive timeout), so close() waited for over a minute, the shutdown's whole drain, and the
  // client could send new requests on it meanwhile. Answers given while closing say
  // `Connection: close`, so the connection ends with the last answer
  // (https://www.rfc-editor.org/rfc/rfc9112#name-tear-down).
  it('closes as soon as the requests under way are answered, telling their clients to reconnect', async () => {
    const server = quietServer();
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

  // A connection with no request under way: opened ahead of time by a proxy or a client's pool and
  // not yet used, or one whose request headers have only partly arrived. Node's close() ends only
  // the connections idle after an answer, and stops enforcing the headers timeout, so such a
  // connection held close() until the shutdown's drain deadline (7 s of the 9), and with it the
  // wait for the alert hooks, which were then given no time at all. Nothing of their requests has
  // been read, so ending them loses nothing the client cannot send again.
  it('ends the connections with no request under way, not waiting for them', async () => {
    running = await listen(quietServer(), 0, '127.0.0.1');
    const port = running.server.address().port;
    const unused = await rawConnection(running, port);
    const partial = await rawConnection(running, port);
    partial.socket.write('POST /api/messages HTTP/1.1\r\nHost: bot\r\n');
    const closing = running.close();
    running = undefined;
    // Fails by the test's own timeout when close() waits for these connections.
    await closing;
    assert.equal(await unused.text, '');
    assert.equal(await partial.text, '', 'nothing was answered to a request never read');
  });

  // A request with `Expect: 100-continue` (curl sends it with a large body) does not reach Node's
  // 'request' event: Node emits 'checkContinue', which restify answers itself. Its answer given
  // while closing must say `Connection: close` too, or close() waits out the keep-alive timeout
  // (https://nodejs.org/api/http.html#event-checkcontinue).
  it('tells the client of a request that expected 100-continue to reconnect when closing', async () => {
    const server = quietServer();
    let entered!: () => void;
    const inRoute = new Promise<void>((r) => (entered = r));
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    server.post('/test/slow', async (_req, res) => {
      entered();
      await answered;
      res.send(200, { ok: true });
    });
    running = await listen(server, 0, '127.0.0.1');
    const client = await rawConnection(running, running.server.address().port);
    client.socket.write(
      'POST /test/slow HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n' +
        'Content-Length: 2\r\nExpect: 100-continue\r\n\r\n{}',
    );
    await inRoute;
    const closing = running.close();
    running = undefined;
    answer();
    const text = await client.text;
    assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /\r\nconnection: close\r\n/i);
    // Fails by the test's own timeout when close() waits for the keep-alive timeout.
    await closing;
  });
  // An answer whose headers left before closing began (written in parts, or a slow client still
  // reading it) said keep-alive, so its connection stayed open after it, idle, and held close()
  // until the shutdown's drain deadline: it is ended once the answer has been handed over.
  it('ends the connection of an answer begun before closing once that answer is complete', async () => {
    const server = quietServer();
    let entered!: () => void;
    const inRoute = new Promise<void>((r) => (entered = r));
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    server.get('/test/parts', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part\n');
      entered();
      await answered;
      res.end('last part\n');
    });
    running = await listen(server, 0, '127.0.0.1');
    const client = await rawConnection(running, running.server.address().port);
    client.socket.write('GET /test/parts HTTP/1.1\r\nHost: bot\r\n\r\n');
    await inRoute;
    const closing = running.close();
    running = undefined;
    answer();
    // Fails by the test's own timeout when close() waits for the kept-alive connection.
    await closing;
    const text = await client.text;
    assert.match(text, /\r\nconnection: keep-alive\r\n/i, 'the answer had begun before closing');
    assert.match(text, /first part\n\r\n.*\r\nlast part\n\r\n0\r\n\r\n$/s, 'the whole answer arrived');
  });

  // Node's close() ends every connection its parser deems idle, and a request whose answer has been
  // ended counts as one even while the answer is still being handed to a slow client: the answer
  // was cut short. The body is larger than what the kernel's buffers take, so it is still being
  // handed over when closing begins.
  it('does not cut an answer still being handed to a slow client when closing begins', async () => {
    const server = quietServer();
    const body = Buffer.alloc(64 * 1024 * 1024, 'a');
    let sent!: (res: http.ServerResponse) => void;
    const wasSent = new Promise<http.ServerResponse>((r) => (sent = r));
    server.get('/test/large', async (_req, res) => {
      res.sendRaw(200, body, { 'content-type': 'text/plain' });
      sent(res);
    });
    running = await listen(server, 0, '127.0.0.1');
    const accepted = new Promise<void>((r) => running!.server.server.once('connection', () => r()));
    const socket = net.connect(running.server.address().port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.pause();
    await accepted;
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    const ended = new Promise<void>((r) => socket.once('close', () => r()));
    socket.write('GET /test/large HTTP/1.1\r\nHost: bot\r\n\r\n');
    const res = await wasSent;
    assert.ok(res.writableEnded && !res.writableFinished, 'the answer is ended, and still being handed over');
    const closing = running.close();
    running = undefined;
    socket.resume();
    await ended;
    await closing;
    assert.ok(received > body.length, `the whole answer arrived: ${received} of over ${body.length} bytes`);
  });
});

describe('listen, a second time on the same server', () => {
  // The hooks of a closed listen() stayed on the server: every answer after a second listen() said
  // `Connection: close`, as if that one were closing too, and no connection was kept alive.
  it('keeps connections alive again once the first listen has closed', async () => {
    const server = quietServer();
    const agent = new http.Agent({ keepAlive: true });
    const connectionHeader = (url: string) =>
      new Promise<string | undefined>((resolve, reject) =>
        http
          .get(`${url}/healthz`, { agent }, (res) => {
            res.resume();
            res.once('end', () => resolve(res.headers.connection));
          })
          .on('error', reject),
      );
    const first = await listen(server, 0, '127.0.0.1');
    assert.equal(await connectionHeader(first.url), 'keep-alive');
    await first.close();
    const second = await listen(server, 0, '127.0.0.1');
    try {
      assert.equal(await connectionHeader(second.url), 'keep-alive', 'the second listen is not closing');
    } finally {
      agent.destroy();
      await second.close();
    }
  });
});
