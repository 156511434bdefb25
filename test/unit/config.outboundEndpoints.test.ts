// botbuilder's endpoint settings with Microsoft's public channel keys but no login URL for the
// bot's own token. Setting any of them makes botbuilder use only those given
// (botframework-connector 4.23, BotFrameworkAuthenticationFactory: "If any of the 'parameterized'
// properties are defined, assume all parameters are intentional"): with no
// ToChannelFromBotLoginUrl, a bot signing in with a secret (SingleTenant, MultiTenant) gets
// PasswordServiceClientCredentialFactory's private-cloud credentials with no authority, and MSAL
// refuses every token request ("empty_url_error") before sending it. Messages from Teams are then
// verified, but no reply, card or notification can be sent. A managed identity gets its token from
// the platform, whatever the login URL, and the scope defaults to https://api.botframework.com.
// Microsoft's page lists the login URL among what a bot sets for another cloud:
// https://learn.microsoft.com/azure/bot-service/how-to-deploy-gov-cloud-high

import { strict as assert } from 'node:assert';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import { readConfig } from '../../src/config';
import { configProblems as problems, managedIdentityBot } from '../fixtures/configEnv';

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
/** Microsoft's public channel: its signing keys and token issuer (AuthenticationConstants). */
const PUBLIC_INBOUND = {
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
};
const LOGIN = 'ToChannelFromBotLoginUrl=https://login.microsoftonline.com/botframework.com';

describe('readConfig: the public channel’s keys without the bot’s own sign-in', () => {
  it('botbuilder then cannot get the bot’s token for a reply (MSAL refuses before sending)', async () => {
    for (const appType of ['SingleTenant', 'MultiTenant']) {
      const auth = new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: APP,
        MicrosoftAppPassword: 'x',
        MicrosoftAppTenantId: appType === 'SingleTenant' ? TENANT : '',
        MicrosoftAppType: appType,
        ...PUBLIC_INBOUND,
      });
      const identity = new ClaimsIdentity(
        [
          { type: AuthenticationConstants.AudienceClaim, value: APP },
          { type: AuthenticationConstants.AppIdClaim, value: APP },
        ],
        true,
      );
      const client = await auth.createConnectorFactory(identity).create('https://smba.trafficmanager.net/amer/');
      const credentials = client.credentials as unknown as { getToken(force: boolean): Promise<string> };
      await assert.rejects(credentials.getToken(true), /empty_url_error/, appType);
    }
  });

  it('refuses it for a bot signing in with a secret, naming the login URL to add', () => {
    for (const extra of <Record<string, string>[]>[
      {},
      { MicrosoftAppType: 'MultiTenant' },
      { OAuthUrl: 'https://europe.token.botframework.com/' },
      { ToChannelFromBotOAuthScope: 'https://api.botframework.com' },
      {
        ToBotFromEmulatorOpenIdMetadataUrl:
          'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
      },
    ]) {
      const said = problems({ ...production, ...PUBLIC_INBOUND, ...extra }).join('\n');
      assert.ok(said.includes(LOGIN), `${JSON.stringify(extra)}: ${said}`);
      assert.ok(!said.includes('bot-secret-value') && !said.includes('sso-secret-value'), said);
    }
  });

  it('takes it with the login URL, for a managed identity, and with a test’s own channel keys', () => {
    const withLogin = { ...production, ...PUBLIC_INBOUND, ToChannelFromBotLoginUrl: LOGIN.split('=')[1]! };
    assert.equal(readConfig(withLogin).bot.endpoints.ToChannelFromBotLoginUrl, LOGIN.split('=')[1]);
    assert.deepEqual(readConfig({ ...managedIdentityBot, ...PUBLIC_INBOUND }).bot.endpoints, PUBLIC_INBOUND);
    // Keys served by a test of its own (it signs the channel's tokens and plays the connector):
    // a chosen set, passed through unchanged (contract §2).
    const own = {
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:45123/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    };
    assert.deepEqual(readConfig({ ...production, ...own }).bot.endpoints, own);
  });
});

/** The Emulator's keys: Entra's common ones (AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl). */
const EMULATOR_KEYS = {
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
};

describe('readConfig: the Emulator’s keys alone, with no login URL for the bot’s own token', () => {
  it('botbuilder then cannot get the bot’s token to answer even an Emulator-signed message', async () => {
    const auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: APP,
      MicrosoftAppPassword: 'x',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppType: 'SingleTenant',
      ...EMULATOR_KEYS,
    });
    // What the Emulator path of botframework-connector verifies: a token whose appid is the bot.
    const identity = new ClaimsIdentity(
      [
        { type: AuthenticationConstants.AppIdClaim, value: APP },
        { type: AuthenticationConstants.VersionClaim, value: '1.0' },
      ],
      true,
    );
    const client = await auth.createConnectorFactory(identity).create('https://smba.trafficmanager.net/amer/');
    const credentials = client.credentials as unknown as { getToken(force: boolean): Promise<string> };
    await assert.rejects(credentials.getToken(true), /empty_url_error/);
  });

  it('refuses it for a bot signing in with a secret, naming the login URL to add', () => {
    for (const extra of <Record<string, string>[]>[
      {},
      { MicrosoftAppType: 'MultiTenant' },
      { OAuthUrl: 'https://europe.token.botframework.com/' },
    ]) {
      const said = problems({ ...production, ...EMULATOR_KEYS, ...extra }).join('\n');
      assert.ok(said.includes(LOGIN), `${JSON.stringify(extra)}: ${said}`);
      assert.ok(said.includes('ToBotFromEmulatorOpenIdMetadataUrl'), said);
      assert.ok(!said.includes('bot-secret-value') && !said.includes('sso-secret-value'), said);
    }
  });

  it('takes it with the login URL, for a managed identity, and with a test’s own Emulator keys', () => {
    const withLogin = { ...production, ...EMULATOR_KEYS, ToChannelFromBotLoginUrl: LOGIN.split('=')[1]! };
    assert.deepEqual(readConfig(withLogin).bot.endpoints, {
      ...EMULATOR_KEYS,
      ToChannelFromBotLoginUrl: LOGIN.split('=')[1],
    });
    assert.deepEqual(readConfig({ ...managedIdentityBot, ...EMULATOR_KEYS }).bot.endpoints, EMULATOR_KEYS);
    // Keys served by a test of its own (it signs Emulator-style tokens to check the bot's inbound
    // verification): a chosen set, passed through unchanged (contract §2), as a test's own
    // channel keys are above.
    const own = {
      ToBotFromEmulatorOpenIdMetadataUrl: 'http://127.0.0.1:45123/emulator/.well-known/openid-configuration',
    };
    assert.deepEqual(readConfig({ ...production, ...own }).bot.endpoints, own);
  });
});
