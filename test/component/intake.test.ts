// The notification intake's HTTP edge in process, with doubles for authentication and the store:
// the body limit on chunked bodies, the documented 400 body for malformed JSON, and 503 with a
// correlation id (detail only in the log) when the store fails, but 202 for an event stored whose
// status alone could not be read.

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { Writable } from 'node:stream';
import * as restify from 'restify';
import { createLogger } from '../../src/log';
import { MAX_EVENT_BYTES } from '../../src/notifications/events';
import { IntakeAuthResult } from '../../src/notifications/intakeAuth';
import { mountNotifications } from '../../src/notifications/routes';
import { StateUnavailableError } from '../../src/state/port';
import { event, intakeEdge, MemoryStore, request } from '../fixtures/intakeEdge';
import { assertTrickleCut } from '../fixtures/trickledRequest';

describe('notification intake HTTP edge (in process)', () => {
  let authResult: IntakeAuthResult;
  const edge = intakeEdge({ check: async () => authResult });
  let base: string;
  let store: MemoryStore;
  let kicked: string[];
  let logLines: string[];

  beforeEach(() => {
    authResult = { ok: true, claims: {} };
    ({ base, store, kicked, logLines } = edge);
  });

  it('accepts an event sent chunked, without Content-Length', async () => {
    const text = JSON.stringify(event('chunked-ok'));
    const r = await request(`${base}/api/notifications`, 'POST', [
      Buffer.from(text.slice(0, 10)),
      Buffer.from(text.slice(10)),
    ]);
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(kicked, ['chunked-ok']);
  });

  it('answers 415 to a compressed body (README: "a Content-Encoding other than identity") and stores nothing', async () => {
    const text = JSON.stringify(event('gzipped'));
    const r = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${base}/api/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: 'Bearer t' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: body }));
      });
      req.on('error', reject);
      req.end(text);
    });
    assert.equal(r.status, 415, r.text);
    assert.match(JSON.parse(r.text).error, /Content-Encoding/i);
    assert.deepEqual(kicked, []);
    assert.equal(store.records.size, 0);
  });

  it('answers 413 to a chunked body over 64 KiB, as to one with Content-Length, and stores nothing', async () => {
    const big = JSON.stringify(event('chunked-big', { principalName: 'x'.repeat(MAX_EVENT_BYTES) }));
    const chunks = [];
    for (let i = 0; i < big.length; i += 8192) chunks.push(Buffer.from(big.slice(i, i + 8192)));
    const chunked = await request(`${base}/api/notifications`, 'POST', chunks);
    assert.equal(chunked.status, 413, chunked.text);
    assert.match(JSON.parse(chunked.text).error, /at most 65536 bytes/);
    const declared = await request(`${base}/api/notifications`, 'POST', big);
    assert.equal(declared.status, 413);
    assert.equal(store.records.size, 0);
    assert.deepEqual(kicked, []);
  });

  it('answers malformed JSON with the documented {"error","problems"} body', async () => {
    for (const body of ['{"eventId": "x",', 'not json at all', '']) {
      const r = await request(`${base}/api/notifications`, 'POST', body);
      assert.equal(r.status, 400, body);
      const parsed = JSON.parse(r.text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(parsed).sort(), ['error', 'problems'], r.text);
      assert.ok(Array.isArray(parsed.problems) && parsed.problems.length === 1);
      assert.doesNotMatch(r.text, /Unexpected|position|InvalidContent/, 'no parser text, no framework shape');
    }
  });

  it('refuses a body that is not UTF-8 (a name sent in Latin-1) instead of storing it garbled', async () => {
    // RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8. Windows PowerShell 5.1's
    // Invoke-RestMethod sends a string body as ISO-8859-1 unless told otherwise: "José" arrives as
    // 4A 6F 73 E9, which a lenient decoder turns into "Jos\uFFFD" on the card, answered 202.
    const [head, tail] = JSON.stringify(event('latin-1', { principalName: 'Jos#' })).split('#');
    const r = await request(`${base}/api/notifications`, 'POST', [
      Buffer.from(head!, 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from(tail!, 'utf8'),
    ]);
    assert.equal(r.status, 400, r.text);
    const parsed = JSON.parse(r.text) as { problems: string[] };
    assert.deepEqual(parsed.problems, ['The body is not valid UTF-8 (JSON must be sent as UTF-8).']);
    assert.equal(store.records.size, 0);
    assert.deepEqual(kicked, []);
    // The same name sent as UTF-8 is taken as written, a character split across chunks included.
    const utf8 = Buffer.from(JSON.stringify(event('utf-8', { principalName: 'José' })), 'utf8');
    const at = utf8.indexOf(0xc3) + 1;
    const ok = await request(`${base}/api/notifications`, 'POST', [utf8.subarray(0, at), utf8.subarray(at)]);
    assert.equal(ok.status, 202, ok.text);
    const stored = store.records.get('utf-8')?.event as { text?: string } | undefined;
    assert.match(stored?.text ?? '', /^José requested/);
  });

  it('answers 503 with a correlation id when the store fails, with the detail only in the log', async () => {
    const detail = "EACCES: permission denied, open '/srv/state/event-x.json' Unexpected token g in JSON";
    for (const failure of [new StateUnavailableError(detail), new TypeError(detail)]) {
      store.failure = failure;
      for (const [method, url, body] of [
        ['POST', `${base}/api/notifications`, JSON.stringify(event('store-down'))],
        ['GET', `${base}/api/notifications/store-down`, null],
      ] as const) {
        logLines.length = 0;
        const r = await request(url, method, body);
        assert.equal(r.status, 503, `${method} ${failure.name}`);
        const parsed = JSON.parse(r.text) as { error: string; correlationId: string };
        assert.deepEqual(Object.keys(parsed).sort(), ['correlationId', 'error']);
        assert.match(parsed.correlationId, /^[0-9a-f-]{36}$/);
        assert.doesNotMatch(r.text, /EACCES|\/srv|Unexpected|\.json|at /, 'no path, contents or stack in the answer');
        assert.ok(r.headers['retry-after'], 'says when to try again');
        const logged = logLines.find((l) => l.includes(parsed.correlationId));
        assert.ok(logged, 'the log line carries the same correlation id');
        assert.match(logged, /EACCES/, 'the detail is in the log');
      }
    }
    assert.deepEqual(kicked, []);
  });

  it('answers 202 for a stored event when only the status read after it fails, never 503', async () => {
    // A 503 says nothing was stored: the caller would send again and be told "duplicate".
    store.readFailure = new StateUnavailableError('status read timed out');
    const first = await request(`${base}/api/notifications`, 'POST', JSON.stringify(event('read-down')));
    assert.equal(first.status, 202, first.text);
    assert.deepEqual(JSON.parse(first.text), {
      eventId: 'read-down',
      accepted: 'new',
      state: 'queued',
      status: '/api/notifications/read-down',
    });
    assert.deepEqual(kicked, ['read-down']);
    const again = await request(`${base}/api/notifications`, 'POST', JSON.stringify(event('read-down')));
    assert.equal(again.status, 202, again.text);
    assert.deepEqual(JSON.parse(again.text), {
      eventId: 'read-down',
      accepted: 'duplicate',
      status: '/api/notifications/read-down',
    });
  });

  it('answers 503 when the Entra keys cannot be read, and 401/403 as before otherwise', async () => {
    const body = JSON.stringify(event('auth-x'));
    authResult = { ok: false, status: 503, reason: "Entra ID's signing keys could not be read; try again later." };
    const down = await request(`${base}/api/notifications`, 'POST', body);
    assert.equal(down.status, 503);
    assert.ok(down.headers['retry-after']);
    authResult = { ok: false, status: 401, reason: 'The token was rejected (expired).' };
    assert.equal((await request(`${base}/api/notifications`, 'POST', body)).status, 401);
    authResult = { ok: false, status: 403, reason: 'The caller needs the app role Notifications.Send.' };
    assert.equal((await request(`${base}/api/notifications/auth-x`, 'GET', null)).status, 403);
    assert.equal(store.records.size, 0);
  });

  // RFC 6750 §3.1 (https://www.rfc-editor.org/rfc/rfc6750#section-3.1): a request that "attempted
  // using an unsupported authentication method" lacks authentication information, and then "the
  // resource server SHOULD NOT include an error code"; invalid_token is for a bearer token sent and
  // refused. The scheme's name is case-insensitive (RFC 9110 §11.1).
  it('says error="invalid_token" in WWW-Authenticate only when a bearer token was sent', async () => {
    authResult = { ok: false, status: 401, reason: 'An Entra access token is required (Authorization: Bearer …).' };
    const body = JSON.stringify(event('challenge'));
    const basic = await request(`${base}/api/notifications`, 'POST', body, 'Basic dXNlcjpwYXNz');
    assert.equal(basic.status, 401);
    assert.equal(basic.headers['www-authenticate'], 'Bearer');
    const empty = await request(`${base}/api/notifications/challenge`, 'GET', null, 'Bearer ');
    assert.equal(empty.headers['www-authenticate'], 'Bearer');
    authResult = { ok: false, status: 401, reason: 'The token was rejected (expired).' };
    for (const sent of ['Bearer sent-token-1', 'bearer sent-token-1']) {
      const refused = await request(`${base}/api/notifications`, 'POST', body, sent);
      assert.equal(refused.headers['www-authenticate'], 'Bearer error="invalid_token"', sent);
    }
  });
  // RFC 6750 §3 (https://www.rfc-editor.org/rfc/rfc6750#section-3): a request whose access token
  // does not enable access MUST get WWW-Authenticate, and §3.1's insufficient_scope ("the request
  // requires higher privileges than provided by the access token") goes with 403. A token without
  // the app role, or a user's token, is such a token; no `scope` is named, since what is missing
  // is an app role, not a scope.
  it('says error="insufficient_scope" in WWW-Authenticate with a 403', async () => {
    const body = JSON.stringify(event('scope'));
    for (const reason of [
      'The caller needs the app role Notifications.Send.',
      'An application token is required; this is a user token.',
    ]) {
      authResult = { ok: false, status: 403, reason };
      const post = await request(`${base}/api/notifications`, 'POST', body, 'Bearer sent-token-1');
      assert.equal(post.status, 403);
      assert.equal(post.headers['www-authenticate'], 'Bearer error="insufficient_scope"', reason);
      const get = await request(`${base}/api/notifications/scope`, 'GET', null, 'Bearer sent-token-1');
      assert.equal(get.headers['www-authenticate'], 'Bearer error="insufficient_scope"', reason);
    }
    assert.equal(store.records.size, 0);
  });

  // A caller that trickles an event a byte at a time would hold the connection until Node's
  // request timeout (300 s by default); an event is at most 64 KiB, which any caller sends in far
  // less. 408: https://www.rfc-editor.org/rfc/rfc9110#name-408-request-timeout
  it('answers 408 and closes the connection when an event body does not arrive in time, and stores nothing', async () => {
    const slow = restify.createServer({ handleUncaughtExceptions: false });
    mountNotifications(slow, {
      auth: { check: async () => authResult },
      store,
      deliverer: { kick: (id) => kicked.push(id) },
      logger: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
      bodyTimeoutMs: 300,
    });
    const body = JSON.stringify(event('trickled'));
    await assertTrickleCut(
      slow,
      'POST /api/notifications HTTP/1.1\r\nHost: bot\r\nAuthorization: Bearer t\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
      () => {
        assert.equal(store.records.size, 0, 'nothing stored');
        assert.deepEqual(kicked, []);
      },
    );
  });
});
