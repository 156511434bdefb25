// botframework-connector's test of whether a token comes from the Bot Framework Emulator decodes
// it without verifying anything and adds four issuers built from its `tid` claim to a list it
// keeps for the process (ToBotFromBotOrEmulatorTokenValidationParameters.issuer) whenever no
// issuer there contains that tid. Every unsigned token naming a new tid, sent by anyone to
// /api/messages, made that list longer for good: memory without bound, and a longer scan of it
// for every later activity. Microsoft's page names the few issuers an Emulator token may carry
// ("The token contains an "issuer" claim with one of the highlighted values"):
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#emulator-to-bot
// Here the real verification runs, against a local key set, with inbound authentication on.

import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Activity } from 'botbuilder';
import { AuthenticationError, ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import { createSigningKey, signJwt } from '../../src/auth/jwt';
import { createAdapter } from '../../src/bot/adapter';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';

const APP = '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';
const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';

const quiet = () =>
  createLogger({
    destination: new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  });

const unsigned = (claims: Record<string, unknown>): string =>
  `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'nobody' })).toString('base64url')}.${Buffer.from(
    JSON.stringify(claims),
  ).toString('base64url')}.c2lnbmF0dXJl`;

describe('inbound authentication: tokens naming new tenants leave nothing behind', function () {
  this.timeout(20_000);
  const entraKey = createSigningKey('entra-key');
  let server: http.Server;
  let base: string;

  before(async () => {
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/emulator/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: `https://sts.windows.net/${TENANT}/`, jwks_uri: `${base}/emulator/keys` }));
      } else if (req.url === '/emulator/keys') {
        res.end(JSON.stringify({ keys: [entraKey.publicJwk] }));
      } else if (req.url === '/channel/.well-known/openidconfiguration') {
        res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/channel/keys` }));
      } else if (req.url === '/channel/keys') {
        res.end(JSON.stringify({ keys: [] }));
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
        AAD_APP_TENANT_ID: TENANT,
        BOT_ENDPOINT: 'https://governance-bot.contoso.net',
        ToBotFromChannelOpenIdMetadataUrl: `${base}/channel/.well-known/openidconfiguration`,
        ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
        ToBotFromEmulatorOpenIdMetadataUrl: `${base}/emulator/.well-known/openid-configuration`,
      }),
      quiet(),
    );
  const activity = {
    type: 'message',
    id: 'm-1',
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:user', aadObjectId: '7d3c1f0e-1111-4111-8111-111111111111' },
    recipient: { id: `28:${APP}` },
    conversation: { id: 'a:personal', tenantId: TENANT },
    text: 'help',
  } as Activity;
  const issuers = () => ToBotFromBotOrEmulatorTokenValidationParameters.issuer as string[];

  it('keeps the issuer list as it was after unsigned tokens that each name another tenant', async () => {
    const a = adapter();
    const before = [...issuers()];
    for (let i = 0; i < 50; i++) {
      const tid = randomUUID();
      // Both shapes: an issuer the added ones then match (the Emulator path) and one they do not.
      const iss = i % 2 === 0 ? `https://sts.windows.net/${tid}/` : 'https://example.invalid/';
      await assert.rejects(
        a.authenticate(`Bearer ${unsigned({ iss, tid, aud: APP, appid: APP, ver: '1.0' })}`, activity),
        (e: unknown) => e instanceof AuthenticationError && e.statusCode === 401,
      );
    }
    assert.equal(issuers().length - before.length, 0, 'issuers added');
    assert.deepEqual(issuers(), before);
  });

  // The Emulator section of the same page: "The token contains an "issuer" claim with one of the
  // highlighted values" (the Bot Framework's own tenants). botframework-connector also takes the
  // issuers of the token's own tenant, whichever it is, so a single-tenant bot can use the
  // Emulator; that stays for the bot's tenant (MicrosoftAppTenantId), never for another.
  it('refuses an Emulator token for the bot from another tenant', async () => {
    const foreign = '99999999-9999-4999-8999-999999999999';
    const now = Math.floor(Date.now() / 1000);
    for (const [iss, ver] of [
      [`https://sts.windows.net/${foreign}/`, '1.0'],
      [`https://login.microsoftonline.com/${foreign}/v2.0`, '2.0'],
    ] as const) {
      const token = signJwt(
        { iss, aud: APP, appid: APP, azp: APP, tid: foreign, ver, nbf: now - 10, exp: now + 3600 },
        entraKey,
      );
      await assert.rejects(
        adapter().authenticate(`Bearer ${token}`, activity),
        (e: unknown) => e instanceof AuthenticationError && e.statusCode === 401,
        iss,
      );
    }
  });

  it("still takes an Emulator token of the bot's own tenant, and keeps nothing of it either", async () => {
    const before = [...issuers()];
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      {
        iss: `https://sts.windows.net/${TENANT}/`,
        aud: APP,
        appid: APP,
        tid: TENANT,
        ver: '1.0',
        nbf: now - 10,
        exp: now + 3600,
      },
      entraKey,
    );
    const result = await adapter().authenticate(`Bearer ${token}`, activity);
    assert.equal(result.claimsIdentity.getClaimValue('appid'), APP);
    assert.deepEqual(issuers(), before);
  });
});
