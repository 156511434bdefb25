// Inbound authentication has a deadline. botframework-connector verifies a channel token against
// the signing keys it reads from the channel's OpenID metadata (OpenIdMetadata.refreshCache), with
// node-fetch and no timeout: a metadata host that takes the connection and never answers would
// hold every inbound activity, and the HTTP request that carries it, for as long as the socket
// lives. The adapter ends the verification at its deadline and reports a server fault (so the
// channel retries), never an unauthorized token and never a hang.
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#step-2-get-the-openid-metadata-document

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '../../src/bot/adapter';
import { botSettings, quietLogger, teamsActivity } from '../fixtures/inboundAuth';
import { SilentServer, silentServer } from '../fixtures/silentServer';

const APP = '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';

/** A token the library reads far enough to look up its signing key: issued by the Bot Connector,
 * for this bot, with a key id; its signature is never reached. */
function channelToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { iss: 'https://api.botframework.com', aud: APP, exp: Math.floor(Date.now() / 1000) + 600 };
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'key-1' })}.${part(claims)}.${Buffer.from('sig').toString('base64url')}`;
}

const activity = teamsActivity(APP, { from: { id: '29:user' } });

const settings = (metadataUrl: string) =>
  botSettings(APP, {
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    // A fresh URL per test: the library keeps one metadata cache per URL for the process.
    ToBotFromChannelOpenIdMetadataUrl: `${metadataUrl}/v1/.well-known/openidconfiguration?t=${Date.now()}`,
  });

/** A metadata host that holds every request unanswered until told to answer, and counts the
 * requests that arrived and those still held on an open connection. (Node's fetch may open a
 * spare connection after one is closed; it carries no request and its pool closes it when idle.) */
async function metadataHost() {
  let answering = false;
  const open = new Set<http.IncomingMessage>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    req.resume();
    if (!answering) {
      open.add(req);
      req.socket.on('close', () => open.delete(req));
      return;
    }
    res.setHeader('content-type', 'application/json');
    // An empty key set: the token is then judged (refused), not left unverified.
    res.end(JSON.stringify(req.url?.startsWith('/keys') ? { keys: [] } : { jwks_uri: `${url}/keys` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    answer: () => (answering = true),
    get requests() {
      return requests;
    },
    get open() {
      return open.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const statusOf = async (work: Promise<unknown>): Promise<number | 'verified'> => {
  try {
    await work;
    return 'verified';
  } catch (e) {
    return (e as { statusCode?: number }).statusCode ?? -1;
  }
};

const until = async (condition: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

describe('inbound authentication deadline', () => {
  let metadata: SilentServer;

  beforeEach(async () => {
    metadata = await silentServer();
  });
  afterEach(() => metadata.close());

  it('ends a verification whose OpenID metadata never arrives, as a server fault', async () => {
    const config = settings(metadata.url);
    const adapter = createAdapter(config, quietLogger(), { authenticationDeadlineMs: 50 });
    await assert.rejects(adapter.authenticate(`Bearer ${channelToken()}`, activity), (e: unknown) => {
      const status = (e as { statusCode?: unknown }).statusCode;
      assert.equal(typeof status === 'number' && status >= 500, true, `a server fault, not ${String(status)}`);
      assert.doesNotMatch(String((e as Error).message), /127\.0\.0\.1|Bearer|eyJ/, 'no URL or token in the error');
      return true;
    });
    assert.equal(metadata.arrived.length, 1, 'the metadata was asked for, and never answered');
  });
});

// The keys read has a deadline of its own: at the authentication deadline the read is given up and
// its connection closed, activities that arrive meanwhile share the one read under way, and the
// next activity after the host answers again is verified against fresh keys. Before, every
// activity started a read of its own that stayed open as long as the socket did.
describe('inbound authentication: the signing keys read', () => {
  let host: Awaited<ReturnType<typeof metadataHost>>;

  beforeEach(async () => {
    host = await metadataHost();
  });
  afterEach(() => host.close());

  it('closes a read that never gets an answer, shares the read under way, and recovers', async () => {
    const adapter = createAdapter(settings(host.url), quietLogger(), { authenticationDeadlineMs: 100 });
    const auth = () => adapter.authenticate(`Bearer ${channelToken()}`, activity);

    const together = await Promise.all([auth(), auth(), auth()].map(statusOf));
    assert.deepEqual(together, [500, 500, 500], 'a server fault each, so the channel retries');
    assert.equal(host.requests, 1, 'activities that arrive during a read share it');
    await until(() => host.open === 0, 2_000);
    assert.equal(host.open, 0, 'no read is left hanging on an open connection');
    assert.equal(await statusOf(auth()), 500);
    assert.equal(host.requests, 2, 'a later activity reads again once the read was given up');
    await until(() => host.open === 0, 2_000);
    assert.equal(host.open, 0, 'nor that one');

    host.answer();
    // The host answers again: the token is judged against its keys (none match: 401, not 500).
    assert.equal(await statusOf(auth()), 401);
  });
});
