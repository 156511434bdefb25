// Contract §1: with no MicrosoftAppId and no AAD_APP_CLIENT_ID, `npm start` starts the sandbox.
// When a real tenant's other identity variables are set (a misspelt MicrosoftAppId, a line left out
// of the .env), that start must not look like the person's own tenant: the banner names what was
// set (names only: they are secrets) and says what selects a real tenant.

import { strict as assert } from 'node:assert';
import { readConfig } from '../../src/config';
import { sandboxBanner } from '../../src/sandbox/start';

const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const at = {
  playgroundUrl: 'http://localhost:56150',
  user: 'Megan Bowen',
  botUrl: 'http://127.0.0.1:3978',
  tenantUrl: 'https://127.0.0.1:1',
};

describe('sandbox: a real tenant half given', () => {
  it('names the identity variables set without the two ids, never their values', () => {
    const env = {
      MicrosoftAppID: '11111111-2222-3333-4444-555555555555', // misspelt: not MicrosoftAppId
      MicrosoftAppPassword: 'bot-secret-value',
      MicrosoftAppTenantId: TENANT,
      SECRET_AAD_APP_CLIENT_SECRET: 'sso-secret-value',
      AAD_APP_TENANT_ID: TENANT,
    };
    assert.equal(readConfig(env).mode, 'sandbox');
    const banner = sandboxBanner(env, at);
    assert.match(banner, /NOT YOUR TENANT/);
    for (const name of ['MicrosoftAppPassword', 'MicrosoftAppTenantId', 'AAD_APP_CLIENT_SECRET', 'AAD_APP_TENANT_ID']) {
      assert.ok(banner.includes(name), `${name} in\n${banner}`);
    }
    assert.match(banner, /MicrosoftAppId and AAD_APP_CLIENT_ID/);
    for (const secret of ['bot-secret-value', 'sso-secret-value', TENANT]) assert.ok(!banner.includes(secret), banner);
  });

  it('says nothing of it with no configuration, or with blank values', () => {
    for (const env of [{}, { MicrosoftAppPassword: '  ', AAD_APP_TENANT_ID: '' }]) {
      const banner = sandboxBanner(env, at);
      assert.doesNotMatch(banner, /NOT YOUR TENANT/);
      assert.match(banner, /Open http:\/\/localhost:56150 and type "help"\./);
      assert.match(banner, /Set MicrosoftAppId and AAD_APP_CLIENT_ID to run against a real tenant\./);
    }
  });
});
