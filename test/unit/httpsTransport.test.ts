// The Graph client's HTTP exchange over node:https: what it sends, what it hands back, one
// connection reused, and the ways it fails (abort, an oversized answer, plain http), against a real
// local TLS server.

import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { httpsFetch, neverSent } from '../../src/graph/httpsTransport';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('Graph HTTPS transport', () => {
  let tls: LoopbackCertificate;
  let server: https.Server;
  let base: string;
  let agent: https.Agent;
  let seen: Seen[];
  let connections: number;
  let answer: (req: Seen, res: import('node:http').ServerResponse) => void;

  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  beforeEach(async () => {
    seen = [];
    connections = 0;
    // Separate calls: restify, loaded by other suites, patches writeHead to return nothing.
    answer = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
        seen.push(s);
        answer(s, res);
      });
    });
    server.on('secureConnection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `https://localhost:${(server.address() as AddressInfo).port}`;
    agent = new https.Agent({ keepAlive: true, ca: tls.ca });
  });

  afterEach(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the method, headers and body, and hands back status, headers and body', async () => {
    answer = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'request-id': 'r-1', 'retry-after': '7' });
      res.end('{"error":{"code":"BadRequest"}}');
    };
    const fetch = httpsFetch({ agent });
    const res = await fetch(`${base}/v1.0/x/cancel?$select=id`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json', 'client-request-id': 'c-1' },
      body: '{"a":"é"}',
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('request-id'), 'r-1');
    assert.equal(res.headers.get('Retry-After'), '7');
    assert.deepEqual(await res.json(), { error: { code: 'BadRequest' } });
    const [s] = seen;
    assert.equal(s!.method, 'POST');
    assert.equal(s!.url, '/v1.0/x/cancel?$select=id');
    assert.equal(s!.headers.authorization, 'Bearer t');
    assert.equal(s!.headers['client-request-id'], 'c-1');
    assert.equal(s!.headers['content-length'], String(Buffer.byteLength('{"a":"é"}')));
    assert.equal(s!.body, '{"a":"é"}');
  });

  it('takes headers as a Headers object or pairs, and answers 204 with no body', async () => {
    const fetch = httpsFetch({ agent });
    const res = await fetch(`${base}/a`, { method: 'PATCH', headers: new Headers({ 'x-one': '1' }), body: '{}' });
    assert.equal(res.status, 204);
    assert.equal(res.body, null);
    await fetch(`${base}/b`, {
      headers: [
        ['X-Two', '2'],
        ['x-two', '3'],
      ],
    });
    assert.equal(seen[0]!.headers['x-one'], '1');
    assert.equal(seen[1]!.method, 'GET');
    assert.equal(seen[1]!.headers['x-two'], '2, 3', 'repeated names are joined, as fetch joins them');
  });

  it('reuses one connection for requests one after another', async () => {
    const fetch = httpsFetch({ agent });
    for (let i = 0; i < 5; i++) assert.equal((await fetch(`${base}/${i}`, { method: 'POST', body: '{}' })).status, 204);
    assert.equal(seen.length, 5);
    assert.equal(connections, 1);
  });

  // Graph's best practices for a 503: back off as for a 429, and "always make new retry requests
  // over a new HTTP connection". A kept-alive connection that answered 503 went back to the pool,
  // so the retry went over it again.
  // https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors
  it('does not reuse a connection that answered 503: the next request opens a new one', async () => {
    answer = (s, res) => {
      res.writeHead(s.url === '/busy' ? 503 : 204, { 'retry-after': '1' });
      res.end();
    };
    const fetch = httpsFetch({ agent });
    assert.equal((await fetch(`${base}/busy`, { method: 'GET' })).status, 503);
    assert.equal((await fetch(`${base}/again`, { method: 'GET' })).status, 204);
    assert.equal((await fetch(`${base}/again`, { method: 'GET' })).status, 204);
    assert.equal(connections, 2, 'one connection for the 503, a new one kept for the rest');
  });

  it('gives up when the signal aborts, and the request is closed', async () => {
    answer = () => undefined; // never answers
    const fetch = httpsFetch({ agent });
    const controller = new AbortController();
    const closed = new Promise<void>((r) => server.once('request', (req) => req.socket.once('close', () => r())));
    const pending = fetch(`${base}/slow`, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    await closed;
  });

  it('resolves only with the whole answer: a body that stalls is still pending when the signal aborts', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"value":['); // and never more
    };
    const fetch = httpsFetch({ agent });
    const controller = new AbortController();
    const pending = fetch(`${base}/stalls`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
  });

  it('sends nothing when the signal has already aborted', async () => {
    const fetch = httpsFetch({ agent });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(fetch(`${base}/late`, { signal: controller.signal }), (e: Error) => e.name === 'AbortError');
    assert.equal(seen.length, 0);
  });

  it('leaves no listener on the signal once the answer is in', async () => {
    const fetch = httpsFetch({ agent });
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${base}/one`, { signal: controller.signal })).status, 204);
    await new Promise((r) => setImmediate(r));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('refuses an answer larger than its limit instead of buffering it', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('x'.repeat(64 * 1024));
    };
    const fetch = httpsFetch({ agent, maxAnswerBytes: 1024 });
    await assert.rejects(fetch(`${base}/big`), /answered more than the bot reads/);
  });

  // RFC 9110 §8.6: a user agent normally sends Content-Length in a POST even when the value is 0.
  it('sends a POST without a body with Content-Length 0', async () => {
    const fetch = httpsFetch({ agent });
    assert.equal((await fetch(`${base}/cancel`, { method: 'POST' })).status, 204);
    assert.equal(seen[0]!.headers['content-length'], '0');
    assert.equal(seen[0]!.body, '');
  });

  it('a kept connection the server drops under a request is an error for that request only', async () => {
    const fetch = httpsFetch({ agent });
    assert.equal((await fetch(`${base}/one`, { method: 'POST', body: '{}' })).status, 204);
    // The next request on the kept connection: the server closes it instead of answering.
    const answerNormally = answer;
    answer = (_req, res) => {
      answer = answerNormally;
      res.socket?.destroy();
    };
    // It went out on a connection that was ready: never "not sent".
    await assert.rejects(fetch(`${base}/two`, { method: 'POST', body: '{}' }), (e: unknown) => !neverSent(e));
    assert.equal((await fetch(`${base}/three`, { method: 'POST', body: '{}' })).status, 204, 'a new connection works');
    assert.equal(connections, 2);
  });

  it('a certificate it does not trust fails before the request is written: never sent', async () => {
    const fetch = httpsFetch({ agent: new https.Agent() });
    await assert.rejects(fetch(`${base}/one`, { method: 'POST', body: '{}' }), (e: unknown) => neverSent(e));
    assert.equal(seen.length, 0);
  });

  it('never sends a request over plain http', async () => {
    const fetch = httpsFetch({ agent });
    await assert.rejects(fetch(base.replace('https:', 'http:')), /over https/);
    assert.equal(seen.length, 0);
  });
});
