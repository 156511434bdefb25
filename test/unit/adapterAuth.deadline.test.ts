// Inbound authentication has a deadline. botframework-connector verifies a channel token against
// the signing keys it reads from the channel's OpenID metadata (OpenIdMetadata.refreshCache), with
// node-fetch and no timeout: a metadata host that takes the connection and never answers would
// hold every inbound activity, and the HTTP request that carries it, for as long as the socket
// lives. The adapter ends the verification at its deadline and reports a server fault (so the
// channel retries), never an unauthorized token and never a hang.
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#step-2-get-the-openid-metadata-document

import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { Activity } from 'botbuilder';
import { createAdapter } from '../../src/bot/adapter';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { SilentServer, silentServer } from '../fixtures/silentServer';

const APP = '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';

const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });

/** A token the library reads far enough to look up its signing key: issued by the Bot Connector,
 * for this bot, with a key id; its signature is never reached. */
function channelToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { iss: 'https://api.botframework.com', aud: APP, exp: Math.floor(Date.now() / 1000) + 600 };
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'key-1' })}.${part(claims)}.${Buffer.from('sig').toString('base64url')}`;
}

const activity = {
  type: 'message',
  id: 'm-1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  from: { id: '29:user' },
  recipient: { id: `28:${APP}` },
  conversation: { id: 'a:personal' },
  text: 'help',
} as Activity;

describe('inbound authentication deadline', () => {
  let metadata: SilentServer;

  beforeEach(async () => {
    metadata = await silentServer();
  });
  afterEach(() => metadata.close());

  it('ends a verification whose OpenID metadata never arrives, as a server fault', async () => {
    const config = readConfig({
      MicrosoftAppId: APP,
      MicrosoftAppPassword: 'not-a-secret',
      MicrosoftAppType: 'MultiTenant',
      AAD_APP_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      AAD_APP_CLIENT_SECRET: 'not-a-secret-either',
      AAD_APP_TENANT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      BOT_ENDPOINT: 'https://governance-bot.contoso.net',
      // With any endpoint set, botbuilder takes them all from the settings: the issuer as Azure's.
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      // A fresh URL per test: the library keeps one metadata cache per URL for the process.
      ToBotFromChannelOpenIdMetadataUrl: `${metadata.url}/v1/.well-known/openidconfiguration?t=${Date.now()}`,
    });
    const adapter = createAdapter(config, quiet(), { authenticationDeadlineMs: 50 });
    await assert.rejects(adapter.authenticate(`Bearer ${channelToken()}`, activity), (e: unknown) => {
      const status = (e as { statusCode?: unknown }).statusCode;
      assert.equal(typeof status === 'number' && status >= 500, true, `a server fault, not ${String(status)}`);
      assert.doesNotMatch(String((e as Error).message), /127\.0\.0\.1|Bearer|eyJ/, 'no URL or token in the error');
      return true;
    });
    assert.equal(metadata.arrived.length, 1, 'the metadata was asked for, and never answered');
  });
});
