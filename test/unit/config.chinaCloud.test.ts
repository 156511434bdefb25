// Teams in Azure operated by 21Vianet reaches bots through that cloud's Bot Service, whose channel
// tokens and endpoints differ from botbuilder's public-cloud defaults: "Configure a bot in Microsoft
// Azure operated by 21Vianet" (https://learn.microsoft.com/azure/bot-service/how-to-deploy-china-cloud,
// also https://docs.azure.cn/en-us/bot-service/how-to-deploy-china-cloud) lists, for a
// UserAssignedMSI/SingleTenant bot and for a MultiTenant one, OAuthUrl=https://token.botframework.azure.cn/,
// ToChannelFromBotOAuthScope and ToBotFromChannelTokenIssuer https://api.botframework.azure.cn,
// ToBotFromChannelOpenIdMetadataUrl=https://login.botframework.azure.cn/v1/.well-known/openidconfiguration,
// and ToChannelFromBotLoginUrl https://login.partner.microsoftonline.cn/ followed by the bot's
// tenant (or, multitenant, microsoftservices.partner.onmschina.cn). With CLOUD=china and none of
// them set, botbuilder would expect channel tokens from api.botframework.com and refuse them all.

import { strict as assert } from 'node:assert';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { readConfig } from '../../src/config';
import { chinaBotEndpoints } from '../../src/configClouds';
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
  BOT_ENDPOINT: 'https://governance-bot.contoso.cn',
};

describe('readConfig: the China cloud’s Bot Framework endpoints', () => {
  it('refuses CLOUD=china at start without them, naming each with its documented value', () => {
    const said = problems({ ...production, CLOUD: 'china' }).join('\n');
    assert.match(said, /CLOUD=china needs the Azure operated by 21Vianet Bot Framework endpoints/);
    for (const expected of [
      'ToBotFromChannelOpenIdMetadataUrl=https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
      'ToBotFromChannelTokenIssuer=https://api.botframework.azure.cn',
      `ToChannelFromBotLoginUrl=https://login.partner.microsoftonline.cn/${TENANT}`,
      'ToChannelFromBotOAuthScope=https://api.botframework.azure.cn',
      'OAuthUrl=https://token.botframework.azure.cn/',
    ]) {
      assert.ok(said.includes(expected), `names ${expected}`);
    }
    // The case of CLOUD does not matter (README: "in any case").
    assert.match(problems({ ...production, CLOUD: 'China' }).join('\n'), /CLOUD=china needs/);
  });

  it('names the sign-in of the bot’s own app type: its tenant, or Microsoft’s services tenant when multitenant', () => {
    const { MicrosoftAppPassword: _p, ...msi } = production;
    const asMsi = problems({ ...msi, MicrosoftAppType: 'UserAssignedMSI', CLOUD: 'china' }).join('\n');
    assert.ok(asMsi.includes(`ToChannelFromBotLoginUrl=https://login.partner.microsoftonline.cn/${TENANT}`));
    const multi = problems({ ...production, MicrosoftAppType: 'MultiTenant', CLOUD: 'china' }).join('\n');
    assert.ok(
      multi.includes(
        'ToChannelFromBotLoginUrl=https://login.partner.microsoftonline.cn/microsoftservices.partner.onmschina.cn',
      ),
    );
  });

  it('names only what is missing, and never a secret', () => {
    const { OAuthUrl: _o, ...partial } = chinaBotEndpoints('SingleTenant', TENANT);
    const one = problems({ ...production, ...partial, CLOUD: 'china' }).join('\n');
    assert.match(one, /set OAuthUrl=https:\/\/token\.botframework\.azure\.cn\/ \(/);
    assert.doesNotMatch(one, /ToBotFromChannelTokenIssuer=/);
    assert.doesNotMatch(one, /bot-secret-value|sso-secret-value/);
  });

  it('with them set, botbuilder takes channel tokens from the China Bot Service', () => {
    const config = readConfig({ ...production, ...chinaBotEndpoints('SingleTenant', TENANT), CLOUD: 'china' });
    assert.equal(config.mode, 'production');
    assert.equal(config.graphEndpoint, 'https://microsoftgraph.chinacloudapi.cn');
    const auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: APP,
      MicrosoftAppPassword: 'x',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppType: 'SingleTenant',
      ...config.bot.endpoints,
    });
    // botbuilder keeps the settings on its inner ParameterizedBotFrameworkAuthentication
    // (botframework-connector), which checks inbound tokens and signs outbound calls with them.
    const inner = (auth as unknown as { inner: Record<string, unknown> }).inner;
    assert.equal(inner.toBotFromChannelTokenIssuer, 'https://api.botframework.azure.cn');
    assert.equal(
      inner.toBotFromChannelOpenIdMetadataUrl,
      'https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
    );
    assert.equal(inner.toChannelFromBotOAuthScope, 'https://api.botframework.azure.cn');
    assert.equal(inner.oAuthUrl, 'https://token.botframework.azure.cn/');
  });

  it('never blocks the sandbox, which has no bot registration', () => {
    assert.equal(readConfig({ CLOUD: 'china' }).mode, 'sandbox');
  });
  // Contract §2 passes botbuilder's settings through unchanged, and the configuration takes
  // ValidateAuthority as true or false in any case; botbuilder reads it with JSON.parse, which
  // knows only lowercase, and takes anything else for true (botbuilder-core 4.23,
  // ConfigurationBotFrameworkAuthentication). "False" must reach it as false.
  it('ValidateAuthority in any case reaches botbuilder as written', () => {
    for (const [given, meant] of [
      ['False', false],
      ['FALSE', false],
      ['false', false],
      ['True', true],
    ] as const) {
      const config = readConfig({
        ...production,
        ...chinaBotEndpoints('SingleTenant', TENANT),
        CLOUD: 'china',
        ValidateAuthority: given,
      });
      const auth = new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: APP,
        MicrosoftAppPassword: 'x',
        MicrosoftAppTenantId: TENANT,
        MicrosoftAppType: 'SingleTenant',
        ...config.bot.endpoints,
      });
      const inner = (auth as unknown as { inner: Record<string, unknown> }).inner;
      assert.equal(inner.validateAuthority, meant, given);
    }
  });
});
