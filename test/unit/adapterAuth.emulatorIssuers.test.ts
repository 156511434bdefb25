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
import { AuthenticationError, ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import { createSigningKey, signJwt } from '../../src/auth/jwt';
import { createAdapter } from '../../src/bot/adapter';
import { botSettings, keyHost, quietLogger, teamsActivity } from '../fixtures/inboundAuth';

const APP = '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';
const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

const unsigned = (claims: Record<string, unknown>): string =>
  `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'nobody' })).toString('base64url')}.${Buffer.from(
    JSON.stringify(claims),
  ).toString('base64url')}.c2lnbmF0dXJl`;

describe('inbound authentication: tokens naming new tenants leave nothing behind', function () {
  this.timeout(20_000);
  const entraKey = createSigningKey('entra-key');
  const host = keyHost({
    '/emulator/.well-known/openid-configuration': (base) => ({
      issuer: `https://sts.windows.net/${TENANT}/`,
      jwks_uri: `${base}/emulator/keys`,
    }),
    '/emulator/keys': () => ({ keys: [entraKey.publicJwk] }),
    '/channel/.well-known/openidconfiguration': (base) => ({
      issuer: 'https://api.botframework.com',
      jwks_uri: `${base}/channel/keys`,
    }),
    '/channel/keys': () => ({ keys: [] }),
  });

  const adapter = () =>
    createAdapter(
      botSettings(APP, {
        AAD_APP_TENANT_ID: TENANT,
        ToBotFromChannelOpenIdMetadataUrl: `${host.base}/channel/.well-known/openidconfiguration`,
        ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
        ToBotFromEmulatorOpenIdMetadataUrl: `${host.base}/emulator/.well-known/openid-configuration`,
      }),
      quietLogger(),
    );
  const activity = teamsActivity(APP, { conversation: { id: 'a:personal', tenantId: TENANT } });
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
