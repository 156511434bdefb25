// A signing key's `endorsements` answer for the tokens of the channel's key set only: Microsoft's
// page reads them in the Bot Connector's steps (#connector-to-bot-step-3), and the Emulator's
// tokens, signed with Entra's keys, carry none to check (#emulator-to-bot). botframework-connector
// checks them only on the channel's path. The early refusal of a key that endorses other channels
// (tokenOrigin.ts refuseForged, ahead of the library) looked the token's `kid` up in the channel's
// keys whoever issued the token: an Emulator token of the bot's own tenant, signed by an Entra key
// whose `kid` the channel's set also lists, was refused 403 for that listing's endorsements.
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
// Here the real verification runs, against local key sets, with inbound authentication on.

import { strict as assert } from 'node:assert';
import { AuthenticationError } from 'botframework-connector';
import { createSigningKey, signJwt } from '../../src/auth/jwt';
import { createAdapter } from '../../src/bot/adapter';
import {
  BOT_FRAMEWORK_ISSUER as ISSUER,
  TEAMS_SERVICE_URL as SERVICE_URL,
  botSettings,
  keyHost,
  quietLogger,
  teamsActivity,
} from '../fixtures/inboundAuth';

const APP = '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';
const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe("inbound authentication: a channel key's endorsements judge channel tokens only", function () {
  this.timeout(20_000);
  const teamsKey = createSigningKey(); // kids unique in the process: the library's key caches outlive a test
  const shared = createSigningKey();
  const host = keyHost({
    '/emulator/.well-known/openid-configuration': (base) => ({
      issuer: `https://sts.windows.net/${TENANT}/`,
      jwks_uri: `${base}/emulator/keys`,
    }),
    '/emulator/keys': () => ({ keys: [shared.publicJwk] }),
    '/channel/.well-known/openidconfiguration': (base) => ({ issuer: ISSUER, jwks_uri: `${base}/channel/keys` }),
    '/channel/keys': () => ({
      keys: [
        { ...teamsKey.publicJwk, endorsements: ['msteams'] },
        { ...shared.publicJwk, endorsements: ['webchat'] },
      ],
    }),
  });
  const adapter = () =>
    createAdapter(
      botSettings(APP, {
        AAD_APP_TENANT_ID: TENANT,
        ToBotFromChannelOpenIdMetadataUrl: `${host.base}/channel/.well-known/openidconfiguration`,
        ToBotFromChannelTokenIssuer: ISSUER,
        ToBotFromEmulatorOpenIdMetadataUrl: `${host.base}/emulator/.well-known/openid-configuration`,
      }),
      quietLogger(),
    );
  const activity = teamsActivity(APP, { conversation: { id: 'a:personal', tenantId: TENANT } });
  const now = () => Math.floor(Date.now() / 1000);
  const channelToken = (key = teamsKey) =>
    `Bearer ${signJwt({ iss: ISSUER, aud: APP, serviceurl: SERVICE_URL, nbf: now() - 10, exp: now() + 3600 }, key)}`;
  const emulatorToken = () =>
    `Bearer ${signJwt(
      {
        iss: `https://sts.windows.net/${TENANT}/`,
        aud: APP,
        appid: APP,
        tid: TENANT,
        ver: '1.0',
        nbf: now() - 10,
        exp: now() + 3600,
      },
      shared,
    )}`;

  it("takes an Emulator token of the bot's tenant signed by a key the channel's set lists for another channel", async () => {
    const a = adapter();
    await a.authenticate(channelToken(), activity); // the channel's keys are read
    await a.authenticate(emulatorToken(), { ...activity, serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    const again = await a.authenticate(emulatorToken(), activity); // Entra's keys are read too now
    assert.equal(again.claimsIdentity.getClaimValue('tid'), TENANT);
  });

  it('still refuses 403 a channel token signed by that key (the control)', async () => {
    await assert.rejects(
      adapter().authenticate(channelToken(shared), activity),
      (e: unknown) => e instanceof AuthenticationError && e.statusCode === 403,
    );
  });
});
