// botbuilder's endpoint settings (contract §2, passed through unchanged): setting any of them makes
// botbuilder use only those given (botframework-connector 4.23, BotFrameworkAuthenticationFactory:
// "If any of the 'parameterized' properties are defined, assume all parameters are intentional"),
// with no public-cloud default for the rest. A lone OAuthUrl (a regional token service, say) then
// leaves the channel's token issuer and signing keys unset, and every message from Teams would be
// refused: the start refuses instead, naming the two inbound settings with their public values.

import { strict as assert } from 'node:assert';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { readConfig } from '../../src/config';
import { configProblems as problems } from '../fixtures/configEnv';

const APP = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const production = {
  MicrosoftAppId: APP,
  MicrosoftAppPassword: 'bot-secret-value',
  MicrosoftAppTenantId: TENANT,
  AAD_APP_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  AAD_APP_CLIENT_SECRET: 'sso-secret-value',
  AAD_APP_TENANT_ID: TENANT,
  BOT_ENDPOINT: 'https://governance-bot.contoso.net',
};
const INBOUND = {
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
};

describe('readConfig: botbuilder endpoint settings given in part', () => {
  it('botbuilder keeps no default for the inbound settings once one setting is given', () => {
    const auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: APP,
      MicrosoftAppPassword: 'x',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppType: 'SingleTenant',
      OAuthUrl: 'https://europe.token.botframework.com/',
    });
    const inner = (auth as unknown as { inner: Record<string, unknown> }).inner;
    assert.equal(inner.toBotFromChannelTokenIssuer, undefined);
    assert.equal(inner.toBotFromChannelOpenIdMetadataUrl, undefined);
  });

  it('refuses one without the channel token issuer and signing keys, naming both with their values', () => {
    for (const extra of <Record<string, string>[]>[
      { OAuthUrl: 'https://europe.token.botframework.com/' },
      { CallerId: 'urn:botframework:azure' },
      { ToBotFromChannelTokenIssuer: INBOUND.ToBotFromChannelTokenIssuer },
    ]) {
      const said = problems({ ...production, ...extra }).join('\n');
      for (const [key, value] of Object.entries(INBOUND)) {
        if (key in extra) continue;
        assert.ok(said.includes(`${key}=${value}`), `${key} in: ${said}`);
      }
    }
  });

  it('takes them with both inbound settings, or none at all', () => {
    // With the bot's own login URL too: without it, it could not reply (config.outboundEndpoints.test.ts).
    const c = readConfig({
      ...production,
      ...INBOUND,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      OAuthUrl: 'https://europe.token.botframework.com/',
    });
    assert.equal(c.bot.endpoints.OAuthUrl, 'https://europe.token.botframework.com/');
    assert.deepEqual(readConfig(production).bot.endpoints, {});
    // The Emulator's signing keys name an inbound set of their own (tokens a test signs itself);
    // with the login URL of the bot's own token, without which it could not reply
    // (config.outboundEndpoints.test.ts).
    const emulator = {
      ToBotFromEmulatorOpenIdMetadataUrl: 'https://keys.contoso.net/.well-known/openid-configuration',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    };
    assert.deepEqual(readConfig({ ...production, ...emulator }).bot.endpoints, emulator);
    // ValidateAuthority is no endpoint: alone, botbuilder keeps its public-cloud defaults.
    assert.deepEqual(readConfig({ ...production, ValidateAuthority: 'true' }).bot.endpoints, {
      ValidateAuthority: 'true',
    });
  });
});
