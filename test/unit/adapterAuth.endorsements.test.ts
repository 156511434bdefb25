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

  // The page's 403, as for a key listing none (README "How a command runs"). botframework-connector
  // refused it 401, and wrote the key's whole PEM to stderr with console.error each time.
  it('refuses with 403 a token signed by a key that endorses another channel only, writing nothing to stderr', async () => {
    const a = adapter();
    await a.authenticate(header(endorsed), activity); // the channel's keys are read (the control)
    const written: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void written.push(args);
    try {
      for (let i = 0; i < 2; i += 1) {
        await assert.rejects(
          a.authenticate(header(webchatOnly), activity),
          (e: unknown) => e instanceof AuthenticationError && e.statusCode === 403,
        );
      }
    } finally {
      console.error = original;
    }
    assert.deepEqual(written, []);
  });
});

describe("inbound authentication: the endorsement refused as the channel's keys are first read", function () {
  this.timeout(20_000);
  const webchatOnly = createSigningKey('cold-endorses-webchat');
  // A key set of its own (its own URL): nothing of it is read before this test's token.
  const host = channelKeyHost(() => [{ ...webchatOnly.publicJwk, endorsements: ['webchat'] }]);

  it('refuses with 403 the first token of a key that endorses another channel only', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: ISSUER, aud: APP, serviceurl: SERVICE_URL, nbf: now - 10, exp: now + 3600 };
    const a = createAdapter(botSettings(APP, channelSettings(host)), quietLogger());
    const original = console.error;
    console.error = () => undefined; // the library writes the key once as it reads the set (left, README)
    try {
      await assert.rejects(
        a.authenticate(`Bearer ${signJwt(claims, webchatOnly)}`, teamsActivity(APP)),
        (e: unknown) => e instanceof AuthenticationError && e.statusCode === 403,
      );
    } finally {
      console.error = original;
    }
  });
});
