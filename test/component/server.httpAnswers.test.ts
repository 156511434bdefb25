// The bot's HTTP answers beyond a turn, in process: /readyz follows the readiness callback and
// never shows why the store failed, every answer carries nosniff, and a body that trickles in is
// cut with 408 instead of holding the connection.

import { strict as assert } from 'node:assert';
import type { ActivityHandlerBase, TurnContext } from 'botbuilder';
import { createServer } from '../../src/server';
import { messagesEdgeSession, quietLogger } from '../fixtures/messagesEdge';
import { assertTrickleCut } from '../fixtures/trickledRequest';

describe('the bot server (in process): /readyz, headers and slow bodies', () => {
  const edge = messagesEdgeSession();

  it('answers /readyz from the readiness callback, with a generic reason when not ready', async () => {
    const ready = await fetch(`${edge.base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', quarantined: 0 });
    edge.readiness = { check: async () => undefined, quarantined: () => 2 };
    assert.deepEqual(await (await fetch(`${edge.base}/readyz`)).json(), { status: 'ready', quarantined: 2 });
    const detail = "SQLITE_READONLY: attempt to write a readonly database '/srv/state/state.db'";
    edge.readiness = {
      check: async () => {
        throw new Error(detail);
      },
      quarantined: () => 0,
    };
    const down = await fetch(`${edge.base}/readyz`);
    assert.equal(down.status, 503);
    const text = await down.text();
    assert.doesNotMatch(text, /SQLITE|\/srv|readonly/);
    assert.match(text, /"error"/);
    edge.readiness = { check: () => new Promise<void>(() => undefined), quarantined: () => 0 };
    assert.equal((await fetch(`${edge.base}/readyz`)).status, 503, 'a check that hangs is not ready');
    const health = await fetch(`${edge.base}/healthz`);
    assert.equal(health.status, 200, 'liveness does not depend on the store');
  });

  // HEAD is GET without content (RFC 9110 §9.3.2; §9.1: general-purpose servers MUST support GET
  // and HEAD). Azure Front Door probes origins with HEAD by default and counts anything but a 200
  // as unhealthy (https://learn.microsoft.com/azure/frontdoor/health-probes): a 405 took every
  // instance out of its rotation.
  it('answers HEAD on /healthz and /readyz as GET would, without content', async () => {
    const head = (path: string) => fetch(`${edge.base}${path}`, { method: 'HEAD' });
    const health = await head('/healthz');
    assert.equal(health.status, 200);
    assert.equal(await health.text(), '');
    const ready = await head('/readyz');
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), '');
    edge.readiness = {
      check: async () => {
        throw new Error('store down');
      },
      quarantined: () => 0,
    };
    assert.equal((await head('/readyz')).status, 503, 'not ready is told to HEAD too');
    const refused = await fetch(`${edge.base}/healthz`, { method: 'DELETE' });
    await refused.arrayBuffer();
    assert.equal(refused.status, 405);
    assert.deepEqual(
      refused.headers
        .get('allow')
        ?.split(',')
        .map((m) => m.trim())
        .sort(),
      ['GET', 'HEAD'],
    );
  });

  // https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Content-Type-Options
  it('tells browsers not to sniff any answer: JSON, errors, and paths or methods it does not serve', async () => {
    const base = edge.base;
    const answers = [
      await fetch(`${base}/healthz`),
      await fetch(`${base}/readyz`),
      await fetch(`${base}/api/messages`, {
        method: 'POST',
        body: 'not json',
        headers: { 'content-type': 'application/json' },
      }),
      await fetch(`${base}/api/messages`, {
        method: 'POST',
        body: JSON.stringify(edge.activity()),
        headers: { 'content-type': 'application/json' },
      }),
      await fetch(`${base}/nowhere`),
      await fetch(`${base}/healthz`, { method: 'DELETE' }),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 400, 200, 404, 405],
    );
    for (const a of answers) {
      await a.arrayBuffer();
      assert.equal(a.headers.get('x-content-type-options'), 'nosniff', `${a.url} ${a.status}`);
    }
  });

  // A client that trickles a body a byte at a time held the connection until Node's request
  // timeout (300 s by default); an activity is at most 256 KiB, which any client sends in far less.
  // 408: https://www.rfc-editor.org/rfc/rfc9110#name-408-request-timeout
  it('answers 408 and closes the connection when an activity body does not arrive in time', async () => {
    const turns: TurnContext[] = [];
    const bot = { run: async (ctx: TurnContext) => void turns.push(ctx) } as unknown as ActivityHandlerBase;
    const slow = createServer(edge.adapter, bot, quietLogger(), { bodyTimeoutMs: 300 });
    const body = JSON.stringify(edge.activity());
    await assertTrickleCut(
      slow,
      `POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
      () => {
        assert.equal(turns.length, 0, 'no turn ran');
        assert.equal(edge.turns.length, 0, 'nor on the edge server');
      },
    );
  });
});
