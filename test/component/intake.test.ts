// The notification intake's HTTP edge in process, with doubles for authentication and the store:
// the body limit on chunked bodies, the documented 400 body for malformed JSON, and 503 with a
// correlation id (detail only in the log) when the store fails, but 202 for an event stored whose
// status alone could not be read.

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import * as restify from 'restify';
import { createLogger } from '../../src/log';
import { MAX_EVENT_BYTES, NotificationEvent } from '../../src/notifications/events';
import { IntakeAuthResult } from '../../src/notifications/intakeAuth';
import { IntakeRecord, IntakeStore, mountNotifications } from '../../src/notifications/routes';
import { StateUnavailableError } from '../../src/state/port';
import { assertTrickleCut } from '../fixtures/trickledRequest';

const USER = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const event = (eventId: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  kind: 'roleRequest',
  target: { userId: USER },
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  ...extra,
});

class MemoryStore implements IntakeStore {
  readonly records = new Map<string, IntakeRecord>();
  failure: Error | null = null;
  /** Fails only the status read (after an accept that stored the event). */
  readFailure: Error | null = null;
  async accept(e: NotificationEvent): Promise<'created' | 'duplicate'> {
    if (this.failure) throw this.failure;
    if (this.records.has(e.eventId)) return 'duplicate';
    this.records.set(e.eventId, { state: 'queued', acceptedAt: new Date().toISOString(), attempts: 0, event: e });
    return 'created';
  }
  async get(eventId: string): Promise<IntakeRecord | null> {
    if (this.failure) throw this.failure;
    if (this.readFailure) throw this.readFailure;
    return this.records.get(eventId) ?? null;
  }
}

/** One raw HTTP exchange, so the test decides about Content-Length and chunking. */
function request(
  url: string,
  method: string,
  body: string | Buffer[] | null,
  authorization = 'Bearer t',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      headers: { 'content-type': 'application/json', authorization },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    // A server that answers before reading everything may close the connection under the writer.
    req.on('error', reject);
    if (Array.isArray(body)) {
      // No Content-Length: Node sends Transfer-Encoding: chunked.
      for (const chunk of body) req.write(chunk);
      req.end();
    } else {
      req.end(body ?? undefined);
    }
  });
}

describe('notification intake HTTP edge (in process)', () => {
  let server: restify.Server;
  let base: string;
  let store: MemoryStore;
  let kicked: string[];
  let logLines: string[];
  let authResult: IntakeAuthResult;
  /** The intake's clock (README: a moment not after it gets a notice). */
  let intakeClock: number;

  beforeEach(async () => {
    intakeClock = Date.UTC(2026, 10, 30, 12, 0);
    store = new MemoryStore();
    kicked = [];
    logLines = [];
    authResult = { ok: true, claims: {} };
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    server = restify.createServer({ handleUncaughtExceptions: false });
    mountNotifications(server, {
      auth: { check: async () => authResult },
      store,
      deliverer: { kick: (id) => kicked.push(id) },
      logger: createLogger({ destination }),
      now: () => intakeClock,
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
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

  // An access package approval whose automatic denial moment has passed was denied then
  // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage). The README's
  // intake section takes it all the same (senders keep fixed example moments the clock passes, and a
  // retry of an event accepted while its moment was ahead must stay a duplicate): 202, stored and
  // delivered, with `notices` naming the field and the bot's time; a moment ahead has no `notices`.
  it('accepts a moment already past with a notice naming approvalExpiresDateTime and the bot time', async () => {
    type Accepted = { eventId: string; accepted: string; notices?: string[] };
    const post = async (eventId: string, at: string) => {
      const body = JSON.stringify(event(eventId, { kind: 'accessApproval', approvalExpiresDateTime: at }));
      const r = await request(`${base}/api/notifications`, 'POST', body);
      assert.equal(r.status, 202, r.text);
      return JSON.parse(r.text) as Accepted;
    };
    const notice =
      /^approvalExpiresDateTime 2026-03-18T08:30:00Z is not in the future \(now 2026-11-30T12:00:00\.000Z\): that approval was denied automatically then, so no reminder will be sent; send the moment of the stage waiting now\.$/;
    const lapsed = await post('lapsed', '2026-03-18T08:30:00Z');
    assert.equal(lapsed.accepted, 'new');
    assert.equal(lapsed.notices?.length, 1, JSON.stringify(lapsed));
    assert.match(lapsed.notices?.[0] ?? '', notice);
    assert.deepEqual(kicked, ['lapsed'], 'delivered as any other event');
    assert.equal(store.records.get('lapsed')?.state, 'queued', 'stored');
    const again = await post('lapsed', '2026-03-18T08:30:00Z');
    assert.equal(again.accepted, 'duplicate');
    assert.match(again.notices?.[0] ?? '', notice);
    assert.deepEqual(kicked, ['lapsed'], 'a duplicate is not delivered again');
    // Accepted while its moment was ahead, sent again once it has passed: still a duplicate.
    const ahead = await post('ahead', '2026-11-30T12:00:01Z');
    assert.equal(ahead.accepted, 'new');
    assert.equal('notices' in ahead, false, JSON.stringify(ahead));
    intakeClock += 2000;
    const retried = await post('ahead', '2026-11-30T12:00:01Z');
    assert.equal(retried.accepted, 'duplicate');
    assert.match(
      retried.notices?.[0] ?? '',
      /^approvalExpiresDateTime 2026-11-30T12:00:01Z is not in the future \(now 2026-11-30T12:00:02\.000Z\)/,
    );
    assert.deepEqual([...store.records.keys()], ['lapsed', 'ahead']);
  });

  // A duplicate stores nothing (README: "the same eventId again is accepted once"): the moment
  // reminded is the one stored by the first post
  // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage: the stage is
  // denied automatically at its moment). A retry that states another moment is answered about the
  // stored one: no notice while it is ahead (its reminder still comes), the notice once it has passed.
  it("answers a duplicate's notices about the moment stored, not the one sent again", async () => {
    type Accepted = { eventId: string; accepted: string; notices?: string[] };
    const post = async (eventId: string, at: string) => {
      const body = JSON.stringify(event(eventId, { kind: 'accessApproval', approvalExpiresDateTime: at }));
      const r = await request(`${base}/api/notifications`, 'POST', body);
      assert.equal(r.status, 202, r.text);
      return JSON.parse(r.text) as Accepted;
    };
    const ahead = await post('stored-ahead', '2026-12-01T08:00:00Z');
    assert.equal('notices' in ahead, false, JSON.stringify(ahead));
    const pastRetry = await post('stored-ahead', '2026-03-18T08:30:00Z');
    assert.equal(pastRetry.accepted, 'duplicate');
    assert.equal('notices' in pastRetry, false, `the stored moment is still reminded: ${JSON.stringify(pastRetry)}`);
    const lapsed = await post('stored-past', '2026-03-18T08:30:00Z');
    assert.equal(lapsed.notices?.length, 1, JSON.stringify(lapsed));
    const aheadRetry = await post('stored-past', '2026-12-01T08:00:00+01:00');
    assert.equal(aheadRetry.accepted, 'duplicate');
    assert.equal(aheadRetry.notices?.length, 1, JSON.stringify(aheadRetry));
    assert.match(
      aheadRetry.notices?.[0] ?? '',
      /^approvalExpiresDateTime 2026-03-18T08:30:00\.000Z \(as stored when this eventId was first accepted; a duplicate changes nothing\) is not in the future \(now 2026-11-30T12:00:00\.000Z\): that approval was denied automatically then, so no reminder will be sent;/,
    );
    // The same instant written another way is quoted as this body wrote it.
    const sameInstant = await post('stored-past', '2026-03-18T09:30:00+01:00');
    assert.match(
      sameInstant.notices?.[0] ?? '',
      /^approvalExpiresDateTime 2026-03-18T09:30:00\+01:00 is not in the future/,
    );
    assert.deepEqual(kicked, ['stored-ahead', 'stored-past'], 'duplicates are not delivered again');
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
