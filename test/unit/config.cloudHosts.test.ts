// CLOUD against the endpoint settings: a setting naming a Microsoft host of another national cloud
// is a warning in the start log, not a refusal (contract §2 refuses only malformed values or
// unusable combinations; botbuilder never reads CLOUD). Each cloud's own hosts: Entra's and Microsoft
// Graph's, https://learn.microsoft.com/graph/deployments ("App registration and token service root
// endpoints", "Microsoft Graph and Graph Explorer service root endpoints"); the Bot Framework's of
// the US Government clouds, https://learn.microsoft.com/azure/bot-service/how-to-deploy-gov-cloud-high,
// and of Azure operated by 21Vianet, https://learn.microsoft.com/azure/bot-service/how-to-deploy-china-cloud.

import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { createAdapter } from '../../src/bot/adapter';
import { readConfig } from '../../src/config';
import { GOVERNMENT_BOT_ENDPOINTS, chinaBotEndpoints } from '../../src/configClouds';
import { createLogger } from '../../src/log';

const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const production = {
  MicrosoftAppId: '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b',
  MicrosoftAppPassword: 'not-a-secret',
  MicrosoftAppTenantId: TENANT,
  AAD_APP_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  AAD_APP_CLIENT_SECRET: 'not-a-secret-either',
  AAD_APP_TENANT_ID: TENANT,
  BOT_ENDPOINT: 'https://governance-bot.contoso.net',
};
/** botbuilder's public-cloud endpoints (AuthenticationConstants). */
const PUBLIC = {
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  OAuthUrl: 'https://token.botframework.com',
};

/** The start's warnings about the cloud, as createAdapter logs them. */
function cloudWarnings(env: Record<string, string>): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    destination: new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    }),
  });
  createAdapter(readConfig(env), logger);
  return lines.filter((l) => l.event === 'config.cloud.mismatch');
}

describe('the start log: CLOUD against the endpoint settings', () => {
  it('warns once when the Bot Framework settings name the public cloud’s hosts with CLOUD=usgov', () => {
    const [line, ...more] = cloudWarnings({ ...production, ...PUBLIC, CLOUD: 'usgov' });
    assert.ok(line, 'warned');
    assert.equal(more.length, 0);
    assert.equal(line.level, 'warn');
    assert.deepEqual(line.settings, Object.keys(PUBLIC));
    assert.match(String(line.msg), /CLOUD is usgov but ToBotFromChannelOpenIdMetadataUrl names a host of CLOUD=global/);
    assert.ok(!JSON.stringify(line).includes('login.botframework.com'), 'names settings, not their values');
  });

  it('warns for Graph or the sign-in host of another cloud, the sovereign endpoints being right', () => {
    const china = { ...production, ...chinaBotEndpoints('SingleTenant', TENANT), CLOUD: 'china' };
    const [graph] = cloudWarnings({ ...china, GRAPH_ENDPOINT: 'https://graph.microsoft.com' });
    assert.deepEqual(graph?.settings, ['GRAPH_ENDPOINT']);
    const gov = { ...production, ...GOVERNMENT_BOT_ENDPOINTS.usgovdod, CLOUD: 'usgovdod' };
    // L4's Graph is not L5's (the deployments page lists each root of its own).
    const [l4] = cloudWarnings({ ...gov, GRAPH_ENDPOINT: 'https://graph.microsoft.us' });
    assert.deepEqual(l4?.settings, ['GRAPH_ENDPOINT']);
    assert.match(String(l4?.msg), /GRAPH_ENDPOINT names a host of CLOUD=usgov:/);
    const [login] = cloudWarnings({ ...gov, AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.chinacloudapi.cn' });
    assert.deepEqual(login?.settings, ['AAD_APP_OAUTH_AUTHORITY_HOST']);
    // The US Government Bot Framework hosts in the public cloud.
    const [bf] = cloudWarnings({ ...production, ...GOVERNMENT_BOT_ENDPOINTS.usgov });
    assert.equal((bf?.settings as string[]).length, 5);
  });

  it('says nothing for each cloud’s own hosts, hosts that are not Microsoft’s, or the defaults', () => {
    assert.deepEqual(cloudWarnings({ ...production, ...PUBLIC }), []);
    assert.deepEqual(
      cloudWarnings({ ...production, ...PUBLIC, OAuthUrl: 'https://europe.token.botframework.com/' }),
      [],
    );
    for (const cloud of ['usgov', 'usgovdod'] as const) {
      assert.deepEqual(cloudWarnings({ ...production, ...GOVERNMENT_BOT_ENDPOINTS[cloud], CLOUD: cloud }), [], cloud);
    }
    const china = chinaBotEndpoints('MultiTenant', '');
    assert.deepEqual(cloudWarnings({ ...production, MicrosoftAppType: 'MultiTenant', ...china, CLOUD: 'china' }), []);
    assert.deepEqual(
      cloudWarnings({
        ...production,
        CLOUD: 'usgov',
        ...GOVERNMENT_BOT_ENDPOINTS.usgov,
        GRAPH_ENDPOINT: 'https://graph-proxy.contoso.net',
        AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.microsoftonline.us',
      }),
      [],
    );
    assert.deepEqual(cloudWarnings({ ...production }), []);
  });
});
