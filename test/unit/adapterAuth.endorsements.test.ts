// The Bot Connector's signing key must endorse the channel of the activity it signed a token for.
// Microsoft's page: the keys document "includes an additional property for each key:
// `endorsements`", which "you can use to verify that the channel ID specified in the `channelId`
// property within the Activity object of the incoming request is authentic"; by default every
// published channel id requires an endorsement, and "If the endorsement isn't present, your bot
// should reject the request by returning an HTTP 403 (Forbidden) status code."
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot-step-3
// botframework-connector checks the endorsements only of a key that lists some: a key listing none
// (no property, or an empty list) was taken for any channel. Here the real verification runs,
// against a local channel key set, with inbound authentication on.

import { strict as assert } from 'node:assert';
import { AuthenticationError } from 'botframework-connector';
import { createSigningKey, signJwt, SigningKey } from '../../src/auth/jwt';
import { createAdapter } from '../../src/bot/adapter';
import {
  BOT_FRAMEWORK_ISSUER as ISSUER,
  TEAMS_SERVICE_URL as SERVICE_URL,
  botSettings,
  channelKeyHost,
  channelSettings,
  quietLogger,
  teamsActivity,
} from '../fixtures/inboundAuth';

const APP = '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';

describe("inbound authentication: the signing key's endorsement of the channel", function () {
  this.timeout(20_000);
  const endorsed = createSigningKey('endorses-msteams');
  const unendorsed = createSigningKey('lists-no-endorsements');
  const emptyList = createSigningKey('empty-endorsements');
  const webchatOnly = createSigningKey('endorses-webchat');
  const host = channelKeyHost(() => [
    { ...endorsed.publicJwk, endorsements: ['msteams'] },
    { ...unendorsed.publicJwk },
    { ...emptyList.publicJwk, endorsements: [] },
    { ...webchatOnly.publicJwk, endorsements: ['webchat'] },
  ]);

  const adapter = () => createAdapter(botSettings(APP, channelSettings(host)), quietLogger());

  const header = (key: SigningKey) => {
    const now = Math.floor(Date.now() / 1000);
    return `Bearer ${signJwt({ iss: ISSUER, aud: APP, serviceurl: SERVICE_URL, nbf: now - 10, exp: now + 3600 }, key)}`;
  };
  const activity = teamsActivity(APP);

  it('takes a token signed by a key that endorses msteams (the control)', async () => {
    const result = await adapter().authenticate(header(endorsed), activity);
    assert.equal(result.claimsIdentity.getClaimValue('aud'), APP);
  });

  it('refuses with 403 a token signed by a key of the channel that lists no endorsement, every time', async () => {
    const a = adapter();
    for (const key of [unendorsed, emptyList, unendorsed]) {
      await assert.rejects(
        a.authenticate(header(key), activity),
        (e: unknown) => e instanceof AuthenticationError && e.statusCode === 403,
        key.kid,
      );
    }
  });

  it('refuses a token signed by a key that endorses another channel only', async () => {
    await assert.rejects(
      adapter().authenticate(header(webchatOnly), activity),
      (e: unknown) => e instanceof AuthenticationError && e.statusCode !== undefined && e.statusCode < 500,
    );
  });
});
