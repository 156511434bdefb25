import { strict as assert } from 'node:assert';
import { ConfigError, ignoredInSandbox, readConfig } from '../../src/config';
import * as path from 'node:path';
import { GOVERNMENT_BOT_ENDPOINTS, chinaBotEndpoints } from '../../src/configClouds';
import { sandboxState } from '../../src/sandbox/start';
import { configProblems as problems } from '../fixtures/configEnv';

const APP = '11111111-2222-3333-4444-555555555555';
const SSO = '66666666-7777-8888-9999-000000000000';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

const production = {
  MicrosoftAppId: APP,
  MicrosoftAppPassword: 'bot-secret-value',
  MicrosoftAppTenantId: TENANT,
  AAD_APP_CLIENT_ID: SSO,
  AAD_APP_CLIENT_SECRET: 'sso-secret-value',
  AAD_APP_TENANT_ID: TENANT,
  BOT_ENDPOINT: 'https://governance-bot.contoso.net',
};

describe('readConfig', () => {
  it('starts the sandbox with no configuration, with contract defaults', () => {
    const c = readConfig({});
    assert.equal(c.mode, 'sandbox');
    assert.equal(c.port, 3978);
    assert.equal(c.cloud, 'global');
    assert.equal(c.graphEndpoint, 'https://graph.microsoft.com');
    assert.equal(c.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(c.bot.appId, '');
    assert.ok(Object.isFrozen(c));
  });

  it('runs for real with both identities set; SingleTenant is the default type', () => {
    const c = readConfig(production);
    assert.equal(c.mode, 'production');
    assert.equal(c.bot.appType, 'SingleTenant');
    assert.deepEqual(c.sso, { clientId: SSO, clientSecret: 'sso-secret-value', tenantId: TENANT });
  });

  // The outside contract's §2 table does not list BOT_ENDPOINT, and with its variables set the bot
  // "runs for real" (§1): without it the sign-in pages are at App Service's default host
  // (WEBSITE_HOSTNAME, set by the platform:
  // https://learn.microsoft.com/en-us/azure/app-service/reference-app-settings#app-environment), else
  // at this machine's localhost, and the start log warns.
  it('runs a real tenant without BOT_ENDPOINT: sign-in pages at WEBSITE_HOSTNAME, else localhost, said', () => {
    const { BOT_ENDPOINT: _omitted, ...without } = production;
    const local = readConfig(without);
    assert.equal(local.publicBaseUrl, 'http://localhost:3978');
    assert.equal(local.publicBaseUrlAssumed, 'localhost');
    assert.equal(readConfig({ ...without, PORT: '8080' }).publicBaseUrl, 'http://localhost:8080');
    const site = readConfig({ ...without, WEBSITE_HOSTNAME: 'governance-bot.azurewebsites.net' });
    assert.equal(site.publicBaseUrl, 'https://governance-bot.azurewebsites.net');
    assert.equal(site.publicBaseUrlAssumed, 'WEBSITE_HOSTNAME');
    assert.equal(readConfig({ ...without, WEBSITE_HOSTNAME: 'x/../y?' }).publicBaseUrlAssumed, 'localhost');
    assert.equal(readConfig(production).publicBaseUrlAssumed, null, 'BOT_ENDPOINT set: nothing assumed');
  });

  it('takes BOT_ENDPOINT for a real tenant: an https origin (http only on loopback), the sign-in pages there', () => {
    assert.equal(readConfig(production).publicBaseUrl, 'https://governance-bot.contoso.net');
    assert.equal(
      readConfig({ ...production, BOT_ENDPOINT: 'http://127.0.0.1:3978/' }).publicBaseUrl,
      'http://127.0.0.1:3978',
    );
    for (const bad of [
      'http://bot.contoso.net',
      'https://bot.contoso.net/api',
      'https://bot.contoso.net/?a=1',
      'bot.contoso.net',
    ]) {
      assert.match(problems({ ...production, BOT_ENDPOINT: bad }).join('\n'), /BOT_ENDPOINT must be/, bad);
    }
    assert.equal(readConfig({}).publicBaseUrl, null, 'the sandbox launcher has none; its bot uses its loopback URL');
  });

  // The sandbox's bot uses the demo's alerts admin group whatever the environment says (README,
  // "Sandbox"): a value it ignores, well-formed or not, must not stop it; a real tenant's still must.
  it('ALERTS_ADMIN_GROUP_ID: checked for a real tenant, ignored (never refused) by the sandbox', () => {
    for (const bad of ['not-a-guid', `${TENANT},x`]) {
      assert.match(problems({ ...production, ALERTS_ADMIN_GROUP_ID: bad }).join('\n'), /ALERTS_ADMIN_GROUP_ID must be/);
      const sandbox = readConfig({ ALERTS_ADMIN_GROUP_ID: bad });
      assert.equal(sandbox.mode, 'sandbox');
      assert.deepEqual(sandbox.alerts.adminGroupIds, []);
      assert.deepEqual(ignoredInSandbox({ ALERTS_ADMIN_GROUP_ID: bad }), ['ALERTS_ADMIN_GROUP_ID']);
      assert.deepEqual(ignoredInSandbox({ SECRET_ALERTS_ADMIN_GROUP_ID: bad }), ['ALERTS_ADMIN_GROUP_ID']);
    }
    assert.deepEqual(readConfig({ ...production, ALERTS_ADMIN_GROUP_ID: TENANT }).alerts.adminGroupIds, [TENANT]);
    assert.deepEqual(ignoredInSandbox({}), [], 'nothing said when nothing is set');
    assert.deepEqual(ignoredInSandbox({ ALERTS_ADMIN_GROUP_ID: ' ' }), [], 'an empty value is not set');
  });

  // env/.env.dev says "team owners only" with the word `none`, which the template turns into an
  // empty app setting; set as the bot's own variable it is refused, and the refusal says how to ask
  // for team owners only, not only what a group id looks like.
  it('ALERTS_ADMIN_GROUP_ID=none: refused, saying to leave it empty for team owners only', () => {
    const told = problems({ ...production, ALERTS_ADMIN_GROUP_ID: 'none' }).join('\n');
    assert.match(told, /ALERTS_ADMIN_GROUP_ID must be/);
    assert.match(told, /leave it empty .*team owners only/i);
  });

  // The sandbox uses its bot's loopback URL (withSandboxTenant; README, "Configuration"): a real
  // tenant's BOT_ENDPOINT, even a malformed one, must not stop `npm start`, and a real tenant's
  // start still refuses it. GRAPH_ENDPOINT and AAD_APP_OAUTH_AUTHORITY_HOST are in the outside
  // contract's table (contract §2: a malformed value of a listed variable stops the start), so
  // they stop the sandbox's start too.
  it('BOT_ENDPOINT: checked for a real tenant, ignored by the sandbox; contract variables checked by both', () => {
    const refused = problems({ ...production, BOT_ENDPOINT: 'bot.contoso.net' }).join('\n');
    assert.match(refused, /BOT_ENDPOINT must be/);
    const sandbox = readConfig({ BOT_ENDPOINT: 'bot.contoso.net' });
    assert.equal(sandbox.mode, 'sandbox');
    assert.equal(sandbox.publicBaseUrl, null);
    assert.deepEqual(ignoredInSandbox({ BOT_ENDPOINT: 'bot.contoso.net' }), ['BOT_ENDPOINT']);
    const contract = { GRAPH_ENDPOINT: 'graph', AAD_APP_OAUTH_AUTHORITY_HOST: 'login' };
    const sandboxRefused = problems(contract).join('\n');
    for (const key of Object.keys(contract)) assert.match(sandboxRefused, new RegExp(`${key} must be`), key);
    assert.deepEqual(ignoredInSandbox(contract), []);
  });

  // An empty value means "not set" (an `.env` line `STATE_DIRECTORY=`), for the bot as for the
  // sandbox launcher (sandboxState in sandbox/start.ts; e2e/sandboxStateDirectory.test.ts).
  it('STATE_DIRECTORY empty or blank: the default directory, as when not set, for the bot and the sandbox', () => {
    const unset = readConfig({}).storage;
    for (const blank of ['', '  ']) {
      assert.deepEqual(readConfig({ STATE_DIRECTORY: blank }).storage, unset);
      assert.deepEqual(sandboxState({ STATE_DIRECTORY: blank }, '/p/.sandbox'), {
        directory: path.join('/p/.sandbox', 'state'),
        fresh: true,
      });
    }
    assert.deepEqual(readConfig({ STATE_DIRECTORY: '/srv/state' }).storage, { kind: 'file', directory: '/srv/state' });
    for (const env of [{ STATE_DIRECTORY: '/srv/state' }, { SECRET_STATE_DIRECTORY: '/srv/state' }])
      assert.deepEqual(sandboxState(env, '/p/.sandbox'), { directory: '/srv/state', fresh: false }, 'kept as given');
  });

  it('refuses any mix of the two identities', () => {
    assert.match(problems({ MicrosoftAppId: APP }).join('\n'), /AAD_APP_CLIENT_ID is not/);
    assert.match(problems({ AAD_APP_CLIENT_ID: SSO }).join('\n'), /MicrosoftAppId is not/);
    assert.match(problems({ SECRET_MicrosoftAppId: APP }).join('\n'), /AAD_APP_CLIENT_ID is not/);
  });

  it('lists every missing or malformed variable at once', () => {
    const p = problems({
      MicrosoftAppId: 'not-a-guid',
      AAD_APP_CLIENT_ID: SSO,
      PORT: 'eighty',
      CLOUD: 'mars',
      GRAPH_ENDPOINT: 'http://graph.example',
      AAD_APP_OAUTH_AUTHORITY_HOST: 'ftp://login',
      MicrosoftAppType: 'Solo',
    });
    const text = p.join('\n');
    for (const name of [
      'PORT',
      'CLOUD',
      'MicrosoftAppId',
      'MicrosoftAppType',
      'GRAPH_ENDPOINT',
      'AAD_APP_OAUTH_AUTHORITY_HOST',
      'AAD_APP_CLIENT_SECRET',
      'AAD_APP_TENANT_ID',
    ]) {
      assert.match(text, new RegExp(name), `missing a problem about ${name}`);
    }
    assert.ok(p.length >= 8);
  });

  it('never quotes a URL that may carry a secret in its refusal', () => {
    const text = problems({
      ...production,
      GRAPH_ENDPOINT: 'https://user:s3cret-pw@graph.microsoft.com',
      BOT_ENDPOINT: 'https://bot.contoso.com/?sig=s3cret-sig',
      OAuthUrl: 'token.botframework.com/?code=s3cret-code',
      // A secret pasted into the wrong variable: not a URL, so not quoted either.
      AAD_APP_OAUTH_AUTHORITY_HOST: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=s3cret-key',
    }).join('\n');
    assert.match(text, /AAD_APP_OAUTH_AUTHORITY_HOST/);
    assert.match(text, /GRAPH_ENDPOINT/);
    assert.match(text, /BOT_ENDPOINT/);
    assert.match(text, /OAuthUrl/);
    assert.doesNotMatch(text, /s3cret/);
  });

  it('refuses a sign-in host with a path and a Graph root that ends in its version, saying what to give', () => {
    // MSAL puts the tenant after the host (contract 5.3: {host}/{tenant}/oauth2/v2.0/token), and
    // the bot puts /v1.0 or /beta after the Graph root (contract 4): either would be doubled.
    const text = problems({
      ...production,
      AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.microsoftonline.com/common',
      GRAPH_ENDPOINT: 'https://graph.microsoft.com/v1.0',
    }).join('\n');
    assert.match(text, /AAD_APP_OAUTH_AUTHORITY_HOST must be an https host with no path/);
    assert.match(text, /GRAPH_ENDPOINT is Microsoft Graph's root, without \/v1\.0 or \/beta/);
    // A root behind a path of its own (a proxy) is still a root.
    assert.equal(
      readConfig({ ...production, GRAPH_ENDPOINT: 'https://proxy.contoso.com/graph' }).graphEndpoint,
      'https://proxy.contoso.com/graph',
    );
  });

  it('never takes a sign-in host or Graph root that ends in a bare "?" or "#" (it would sit inside every URL built on it)', () => {
    // WHATWG URL: an empty query or fragment reads as search '' and hash '', yet the URL's text
    // keeps the "?" or "#". Such a root makes the token endpoint {host}?/{tenant}/… and every Graph
    // call {root}?/v1.0/…; and "/v1.0?" hides the version the check above refuses. Refused, or
    // read without the bare mark: either is right, the mark kept is not.
    const cases: Array<['AAD_APP_OAUTH_AUTHORITY_HOST' | 'GRAPH_ENDPOINT', string]> = [
      ['AAD_APP_OAUTH_AUTHORITY_HOST', 'https://login.microsoftonline.com/?'],
      ['AAD_APP_OAUTH_AUTHORITY_HOST', 'https://login.microsoftonline.com#'],
      ['GRAPH_ENDPOINT', 'https://graph.microsoft.com?'],
      ['GRAPH_ENDPOINT', 'https://graph.microsoft.com/v1.0?'],
      ['GRAPH_ENDPOINT', 'https://graph.microsoft.com/beta#'],
    ];
    for (const [key, v] of cases) {
      let read: ReturnType<typeof readConfig>;
      try {
        read = readConfig({ ...production, [key]: v });
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        assert.ok(
          e.problems.some((p) => p.startsWith(key)),
          `${key}=${v}: refused, naming ${key}`,
        );
        continue;
      }
      const used = key === 'GRAPH_ENDPOINT' ? read.graphEndpoint : read.authorityHost;
      assert.doesNotMatch(used, /[?#]/, `${key}=${v} was taken as ${used}`);
      assert.doesNotMatch(used, /\/(v1\.0|beta)$/i, `${key}=${v} was taken as ${used}`);
    }
  });

  it('takes secrets from SECRET_<NAME>, the plain name winning', () => {
    const { AAD_APP_CLIENT_SECRET: _drop, ...rest } = production;
    const c = readConfig({ ...rest, SECRET_AAD_APP_CLIENT_SECRET: 'from-secret' });
    assert.equal(c.sso?.clientSecret, 'from-secret');
    const both = readConfig({ ...production, SECRET_AAD_APP_CLIENT_SECRET: 'from-secret' });
    assert.equal(both.sso?.clientSecret, 'sso-secret-value');
  });

  it('derives endpoints from CLOUD and lets explicit https endpoints win', () => {
    const dod = { ...production, ...GOVERNMENT_BOT_ENDPOINTS.usgovdod, CLOUD: 'usgovdod' };
    assert.equal(readConfig(dod).graphEndpoint, 'https://dod-graph.microsoft.us');
    const china = { ...production, ...chinaBotEndpoints('SingleTenant', TENANT), CLOUD: 'china' };
    assert.equal(readConfig(china).authorityHost, 'https://login.chinacloudapi.cn');
    const gcch = { ...production, ...GOVERNMENT_BOT_ENDPOINTS.usgov, CLOUD: 'usgov' };
    assert.equal(readConfig(gcch).graphEndpoint, 'https://graph.microsoft.us');
    const c = readConfig({ ...production, GRAPH_ENDPOINT: 'https://127.0.0.1:8443/' });
    assert.equal(c.graphEndpoint, 'https://127.0.0.1:8443');
  });

  it('applies the UserAssignedMSI rules', () => {
    const { MicrosoftAppPassword: _p, ...noPassword } = production;
    assert.equal(readConfig({ ...noPassword, MicrosoftAppType: 'UserAssignedMSI' }).bot.appType, 'UserAssignedMSI');
    assert.match(problems({ ...production, MicrosoftAppType: 'userassignedmsi' }).join(), /must be empty/);
    assert.match(problems(noPassword).join(), /MicrosoftAppPassword/);
  });

  it('passes botbuilder endpoint settings through and ignores unknown variables', () => {
    // With the channel's issuer and keys: one setting alone is refused (config.botEndpoints.test.ts);
    // and with the bot's own login URL, without which it could not reply (config.outboundEndpoints.test.ts).
    const inbound = {
      ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    };
    const c = readConfig({ ...production, ...inbound, OAuthUrl: 'https://token.example', SomethingElse: 'x' });
    assert.deepEqual(c.bot.endpoints, { ...inbound, OAuthUrl: 'https://token.example' });
    assert.match(problems({ ...production, ValidateAuthority: 'maybe' }).join(), /ValidateAuthority/);
  });

  // Teams in GCC High and DoD reaches bots only through the Azure Government Bot Service, whose
  // channel tokens and endpoints differ from botbuilder's public-cloud defaults:
  // https://learn.microsoft.com/azure/bot-service/how-to-deploy-gov-cloud-high (sections "Configure
  // for Office 365 GCC High" and "Configure for DoD environment"); bots are offered in GCC, GCC High
  // and DoD: https://learn.microsoft.com/microsoftteams/platform/bots/what-are-bots and
  // https://learn.microsoft.com/microsoftteams/platform/concepts/cloud-overview.
  it('refuses a US Government cloud at start when the Azure Government Bot Framework endpoints are missing', () => {
    const dod = problems({ ...production, CLOUD: 'usgovdod' }).join('\n');
    assert.match(dod, /CLOUD=usgovdod/);
    assert.match(dod, /OAuthUrl=https:\/\/apiDoD\.botframework\.azure\.us/);
    assert.match(dod, /ToBotFromChannelTokenIssuer=https:\/\/api\.botframework\.us/);
    assert.match(problems({ ...production, CLOUD: 'usgov' }).join('\n'), /tokengcch\.botframework\.azure\.us/);
    const { OAuthUrl: _o, ...partial } = GOVERNMENT_BOT_ENDPOINTS.usgovdod ?? {};
    const one = problems({ ...production, ...partial, CLOUD: 'usgovdod' }).join('\n');
    assert.match(one, /set OAuthUrl=/);
    assert.doesNotMatch(one, /ToBotFromChannelTokenIssuer=/);
    // The sandbox has no bot registration, so the cloud alone never blocks it.
    assert.equal(readConfig({ CLOUD: 'usgovdod' }).mode, 'sandbox');
  });

  it('never quotes a secret in its refusal', () => {
    const p = problems({ ...production, MicrosoftAppType: 'UserAssignedMSI' });
    assert.doesNotMatch(p.join(), /bot-secret-value|sso-secret-value/);
  });
});
