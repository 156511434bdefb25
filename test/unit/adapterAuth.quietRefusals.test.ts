// A refused inbound token writes nothing to stderr. botframework-connector's JwtTokenExtractor
// wrote, with console.error, the whole PEM public key for every token whose verification failed
// once its key was found (and an expired token's error with its stack): the key id and issuer are
// read unverified, so anyone could name a published key id with a made-up signature and write a
// key to stderr per request. The bot refuses those first (src/bot/forgedTokens.ts); its own log
// line of the refusal (http.unauthorized, at warn, no key) is src/server.ts's.
// Microsoft's page: the bot verifies the signature with the channel's keys, and the lifetime:
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot-step-4

import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { createSigningKey, signJwt, SigningKey } from '../../src/auth/jwt';
import { createAdapter } from '../../src/bot/adapter';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';

const APP = '3e5a7c90-1b2d-4f6a-8c9e-0a1b2c3d4e5f';
const ISSUER = 'https://api.botframework.com';
const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';

describe('inbound authentication: refusals write nothing to stderr', function () {
  this.timeout(20_000);
  const channelKey = createSigningKey('quiet-channel-key');
  const forger = createSigningKey('quiet-channel-key');
  let server: http.Server;
  let base: string;

  before(async () => {
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/v1/keys` }));
      } else if (req.url === '/v1/keys') {
        res.end(JSON.stringify({ keys: [{ ...channelKey.publicJwk, endorsements: ['msteams'] }] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const adapter = () =>
    createAdapter(
      readConfig({
        MicrosoftAppId: APP,
        MicrosoftAppPassword: 'not-a-secret',
        MicrosoftAppType: 'MultiTenant',
        AAD_APP_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        AAD_APP_CLIENT_SECRET: 'not-a-secret-either',
        AAD_APP_TENANT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        BOT_ENDPOINT: 'https://governance-bot.contoso.net',
        ToBotFromChannelOpenIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
        ToBotFromChannelTokenIssuer: ISSUER,
      }),
      createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    );

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: ISSUER,
    aud: APP,
    serviceurl: SERVICE_URL,
    nbf: now() - 10,
    exp: now() + 3600,
    ...extra,
  });
  const bearer = (key: SigningKey, extra?: Record<string, unknown>) => `Bearer ${signJwt(claims(extra), key)}`;
  /** A token "signed" with HS256, the channel's public key id in its header. */
  const hs256 = () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const signed = `${b64({ alg: 'HS256', typ: 'JWT', kid: channelKey.kid })}.${b64(claims())}`;
    return `Bearer ${signed}.${createHmac('sha256', 'guess').update(signed).digest('base64url')}`;
  };
  const activity = {
    type: 'message',
    id: 'm-1',
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:user', aadObjectId: '7d3c1f0e-1111-4111-8111-111111111111' },
    recipient: { id: `28:${APP}` },
    conversation: { id: 'a:personal' },
    text: 'help',
  } as Activity;

  it('refuses a made-up signature, an expired token and a foreign algorithm with 401, and writes no key', async () => {
    const a = adapter();
    // The channel's keys are read once a real token comes (the control).
    const taken = await a.authenticate(bearer(channelKey), activity);
    assert.equal(taken.claimsIdentity.getClaimValue('aud'), APP);
    const written: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void written.push(args);
    try {
      for (const header of [
        bearer(forger),
        bearer(forger, { exp: now() - 3600, nbf: now() - 7200 }),
        bearer(channelKey, { exp: now() - 3600, nbf: now() - 7200 }),
        hs256(),
      ]) {
        await assert.rejects(
          a.authenticate(header, activity),
          (e: unknown) => e instanceof AuthenticationError && e.statusCode === 401,
        );
      }
    } finally {
      console.error = original;
    }
    assert.deepEqual(
      written.map((w) => String(w[0]).slice(0, 60)),
      [],
      'nothing written to stderr',
    );
    // A genuine token is still taken.
    const again = await a.authenticate(bearer(channelKey, { jti: 'another' }), activity);
    assert.equal(again.claimsIdentity.getClaimValue('aud'), APP);
  });
});
