// What a 503 from POST /api/notifications tells the sender. The README ("POST
// /api/notifications"): a 503 is "not accepted ... except when the store applied a write whose
// answer was lost and could not be read back at once: such an event may still be delivered. Send
// it again: a duplicate is answered 202 and never sent twice." The answer said "nothing was
// changed", which is untrue in that case (the event is stored and will be sent): it now says to
// send the event again and that a stored one is then a duplicate, sent once. GET's 503 changes
// nothing and says to try again.

import { strict as assert } from 'node:assert';
import type { AddressInfo } from 'node:net';
import * as restify from 'restify';
import { createLogger } from '../../src/log';
import { mountNotifications } from '../../src/notifications/routes';
import { StateUnavailableError } from '../../src/state/port';

describe('notification intake: the words of a 503', () => {
  let server: restify.Server;
  let base: string;

  beforeEach(async () => {
    server = restify.createServer({ handleUncaughtExceptions: false });
    const down = () => Promise.reject(new StateUnavailableError('state store: write failed (SQLITE_IOERR)'));
    mountNotifications(server, {
      auth: { check: async () => ({ ok: true, claims: {} }) },
      store: { accept: down, get: down },
      deliverer: { kick: () => undefined },
      logger: createLogger({ destination: { write: () => undefined } }),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('POST: says to send the event again, never that nothing was stored', async () => {
    const res = await fetch(`${base}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        eventId: 'e1',
        kind: 'roleRequest',
        target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
        requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
      }),
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '10');
    const body = (await res.json()) as { error: string; correlationId: string };
    assert.doesNotMatch(body.error, /nothing was (changed|stored)/i);
    assert.match(body.error, /send (it|the event) again/i);
    assert.match(body.error, /duplicate/);
    assert.ok(body.correlationId);
  });

  it('GET: says to try again', async () => {
    const res = await fetch(`${base}/api/notifications/e1`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { error: string };
    assert.match(body.error, /try again later/i);
  });
});
