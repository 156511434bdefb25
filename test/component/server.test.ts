// The /api/messages and /readyz edge in process (sandbox configuration: inbound authentication
// off), with a recording bot and a local connector: malformed activities are refused with 400
// before botbuilder runs a turn, /readyz follows the readiness callback, and a connector that
// never answers fails the send by its deadline instead of hanging the turn.
// Activity fields and their types: https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { ActivityHandlerBase, TurnContext } from 'botbuilder';
import type * as restify from 'restify';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { GovernanceAdapter, createAdapter } from '../../src/bot/adapter';
import { Readiness, createServer } from '../../src/server';
import { trickleRequest } from '../fixtures/trickledRequest';

const quietLogger = () =>
  createLogger({
    destination: new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  });

/** A connector that records what arrives and answers (or, when `hang` is set, never answers). */
async function startConnector() {
  const seen: string[] = [];
  const state = { hang: false };
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    if (state.hang) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `act-${seen.length}` }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    seen,
    state,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('/api/messages and /readyz (in process)', () => {
  let connector: Awaited<ReturnType<typeof startConnector>>;
  let server: restify.Server;
  let base: string;
  let turns: TurnContext[];
  /** Each turn's connector client, taken during the turn (its context is revoked after). */
  let clients: unknown[];
  let sendErrors: unknown[];
  let readiness: Readiness | undefined;
  let adapter: GovernanceAdapter;

  const activity = (extra: Record<string, unknown> = {}) => ({
    type: 'message',
    id: 'm-1',
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: '29:user', aadObjectId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:personal', conversationType: 'personal' },
    text: 'hello',
    ...extra,
  });

  const post = async (body: unknown) => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  beforeEach(async () => {
    connector = await startConnector();
    turns = [];
    clients = [];
    sendErrors = [];
    readiness = undefined;
    const logger = quietLogger();
    adapter = createAdapter(readConfig({}), logger, { connectorDeadlineMs: 300 });
    const bot = {
      run: async (ctx: TurnContext) => {
        turns.push(ctx);
        clients.push(ctx.turnState.get(adapter.ConnectorClientKey));
        try {
          await ctx.sendActivity('pong');
        } catch (e) {
          sendErrors.push(e);
        }
      },
    } as unknown as ActivityHandlerBase;
    server = createServer(adapter, bot, logger, {
      readiness: {
        check: () => (readiness ? readiness.check() : Promise.resolve()),
        quarantined: () => readiness?.quarantined() ?? 0,
      },
      readinessTimeoutMs: 200,
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await connector.close();
  });

  it('runs a well-formed activity and replies through the loopback connector it names', async () => {
    const r = await post(activity());
    assert.equal(r.status, 200, r.text);
    assert.equal(turns.length, 1);
    assert.deepEqual(sendErrors, []);
    assert.equal(connector.seen.length, 1);
    assert.match(connector.seen[0]!, /^POST \/v3\/conversations\/a%3Apersonal\/activities/);
  });

  it('refuses with 400, before any turn, what cannot be answered', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['no serviceUrl', { serviceUrl: undefined }],
      ['null serviceUrl', { serviceUrl: null }],
      ['serviceUrl not a URL', { serviceUrl: 'not a url' }],
      ['serviceUrl http to another host', { serviceUrl: 'http://connector.example.com/' }],
      ['serviceUrl with credentials', { serviceUrl: 'https://user:pw@smba.trafficmanager.net/amer/' }],
      ['serviceUrl a number', { serviceUrl: 42 }],
      ['null conversation', { conversation: null }],
      ['conversation without id', { conversation: { conversationType: 'personal' } }],
      ['conversation id a number', { conversation: { id: 7 } }],
      ['type a number', { type: 5 }],
      ['no channelId', { channelId: undefined }],
      ['null channelId', { channelId: null }],
      ['empty channelId', { channelId: ' ' }],
      ['id an object', { id: { x: 1 } }],
      ['no from', { from: undefined }],
      ['from.id a number', { from: { id: 12 } }],
      ['text an array', { text: ['a'] }],
      ['entities not a list', { entities: 'x' }],
      ['submit value a string', { value: 'approve' }],
      ['card action value a string', { type: 'invoke', name: 'adaptiveCard/action', value: 'x', text: undefined }],
      ['token exchange value missing', { type: 'invoke', name: 'signin/tokenExchange', text: undefined }],
    ];
    for (const [name, change] of cases) {
      const r = await post(activity(change));
      assert.equal(r.status, 400, `${name}: ${r.text}`);
      const body = JSON.parse(r.text) as { error: string };
      assert.ok(typeof body.error === 'string' && body.error.length < 120, name);
    }
    assert.equal(turns.length, 0, 'botbuilder never ran a turn');
    assert.deepEqual(connector.seen, [], 'nothing was sent anywhere');
  });

  it('answers malformed JSON and non-objects with 400 in its own words', async () => {
    for (const body of ['{"type":', '[1,2]', '"text"', '']) {
      const r = await post(body);
      assert.equal(r.status, 400, body);
      assert.deepEqual(Object.keys(JSON.parse(r.text) as object), ['error']);
      assert.doesNotMatch(r.text, /InvalidContent|Unexpected/);
    }
    assert.equal(turns.length, 0);
  });

  it('uses one connector client for every turn, and every proactive send, to the same service URL', async () => {
    const other = await startConnector();
    try {
      for (const serviceUrl of [connector.url, connector.url, other.url]) {
        assert.equal((await post(activity({ serviceUrl }))).status, 200);
      }
      // Two proactive sends (the sandbox's app id '' and an unauthenticated turn's none are two keys).
      const proactive: unknown[] = [];
      const reference = {
        channelId: 'msteams',
        serviceUrl: connector.url,
        conversation: { id: 'a:personal', conversationType: 'personal', isGroup: false, name: '' },
        bot: { id: '28:bot', name: 'bot' },
      };
      for (let i = 0; i < 2; i++) {
        await adapter.continueConversationAsync('', reference, async (ctx) => {
          proactive.push(ctx.turnState.get(adapter.ConnectorClientKey));
        });
      }
      const [a, b, c] = clients;
      assert.ok(a, 'the turn had a connector client');
      assert.equal(a, b, 'the second turn reused the first one');
      assert.ok(proactive[0]);
      assert.equal(proactive[0], proactive[1], 'proactive sends reuse theirs');
      assert.notEqual(c, a, 'another service URL has its own');
      assert.equal(connector.seen.length, 2);
      assert.equal(other.seen.length, 1, 'each reply went to its own service URL');
    } finally {
      await other.close();
    }
  });

  it('fails a send to a connector that never answers by the deadline, and the turn ends', async () => {
    connector.state.hang = true;
    const r = await post(activity());
    assert.equal(r.status, 200, r.text);
    assert.equal(connector.seen.length, 1, 'the send reached the connector');
    assert.equal(sendErrors.length, 1);
    const error = sendErrors[0] as { name?: string; code?: string };
    assert.equal(error.name, 'ConnectorTimeoutError');
    assert.equal(error.code, 'ETIMEDOUT');
  });

  it('gives proactive sends the same deadline, and never builds a connector without a serviceUrl', async () => {
    connector.state.hang = true;
    const reference = {
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: 'a:personal', conversationType: 'personal', isGroup: false, name: '' },
      bot: { id: '28:bot', name: 'bot' },
    };
    let failure: unknown = null;
    await adapter.continueConversationAsync('', reference, async (ctx) => {
      try {
        await ctx.sendActivity('notification');
      } catch (e) {
        failure = e;
      }
    });
    assert.equal((failure as { name?: string } | null)?.name, 'ConnectorTimeoutError');
    assert.equal(connector.seen.length, 1);
    let ran = false;
    await assert.rejects(
      adapter.continueConversationAsync('', { ...reference, serviceUrl: undefined }, async () => {
        ran = true;
      }),
      /no usable serviceUrl/,
    );
    assert.equal(ran, false);
  });

  it('answers /readyz from the readiness callback, with a generic reason when not ready', async () => {
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', quarantined: 0 });
    readiness = { check: async () => undefined, quarantined: () => 2 };
    assert.deepEqual(await (await fetch(`${base}/readyz`)).json(), { status: 'ready', quarantined: 2 });
    const detail = "SQLITE_READONLY: attempt to write a readonly database '/srv/state/state.db'";
    readiness = {
      check: async () => {
        throw new Error(detail);
      },
      quarantined: () => 0,
    };
    const down = await fetch(`${base}/readyz`);
    assert.equal(down.status, 503);
    const text = await down.text();
    assert.doesNotMatch(text, /SQLITE|\/srv|readonly/);
    assert.match(text, /"error"/);
    readiness = { check: () => new Promise<void>(() => undefined), quarantined: () => 0 };
    assert.equal((await fetch(`${base}/readyz`)).status, 503, 'a check that hangs is not ready');
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200, 'liveness does not depend on the store');
  });

  // https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Content-Type-Options
  it('tells browsers not to sniff any answer: JSON, errors, and paths or methods it does not serve', async () => {
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
        body: JSON.stringify(activity()),
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
    const logger = quietLogger();
    const bot = { run: async (ctx: TurnContext) => void turns.push(ctx) } as unknown as ActivityHandlerBase;
    const slow = createServer(adapter, bot, logger, { bodyTimeoutMs: 300 });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    const body = JSON.stringify(activity());
    const trickled = trickleRequest(
      (slow.address() as AddressInfo).port,
      `POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    const started = Date.now();
    try {
      const received = await trickled.closed;
      assert.match(received, /^HTTP\/1\.1 408 /);
      assert.match(received, /connection: close/i);
      assert.match(received, /did not arrive in time/);
      assert.ok(Date.now() - started < 2_000, `cut after ${Date.now() - started} ms`);
      assert.equal(turns.length, 0, 'no turn ran');
    } finally {
      trickled.stop();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });
});
