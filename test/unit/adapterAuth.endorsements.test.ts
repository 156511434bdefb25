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
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Activity } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { createSigningKey, signJwt, SigningKey } from '../../src/auth/jwt';
import { createAdapter } from '../../src/bot/adapter';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';

const APP = '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';
const ISSUER = 'https://api.botframework.com';
const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';

const quiet = () =>
  createLogger({
    destination: new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  });

describe("inbound authentication: the signing key's endorsement of the channel", function () {
  this.timeout(20_000);
  const endorsed = createSigningKey('endorses-msteams');
  const unendorsed = createSigningKey('lists-no-endorsements');
  const emptyList = createSigningKey('empty-endorsements');
  const webchatOnly = createSigningKey('endorses-webchat');
  let server: http.Server;
  let base: string;

  before(async () => {
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/v1/keys` }));
      } else if (req.url === '/v1/keys') {
        res.end(
          JSON.stringify({
            keys: [
              { ...endorsed.publicJwk, endorsements: ['msteams'] },
              { ...unendorsed.publicJwk },
              { ...emptyList.publicJwk, endorsements: [] },
              { ...webchatOnly.publicJwk, endorsements: ['webchat'] },
            ],
          }),
        );
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
      quiet(),
    );

  const header = (key: SigningKey) => {
    const now = Math.floor(Date.now() / 1000);
    return `Bearer ${signJwt({ iss: ISSUER, aud: APP, serviceurl: SERVICE_URL, nbf: now - 10, exp: now + 3600 }, key)}`;
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
