// The two tenant ids of contract §2's table: checked whenever they are set, by the sandbox too.
import { strict as assert } from 'node:assert';
import { ignoredInSandbox, readConfig } from '../../src/config';
import { configProblems as problems } from '../fixtures/configEnv';

const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

const production = {
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppPassword: 'bot-secret-value',
  MicrosoftAppTenantId: TENANT,
  AAD_APP_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  AAD_APP_CLIENT_SECRET: 'sso-secret-value',
  AAD_APP_TENANT_ID: TENANT,
  BOT_ENDPOINT: 'https://governance-bot.contoso.net',
};

describe('readConfig: tenant ids', () => {
  // Contract §2: "a malformed value of a listed variable stops the start". The two tenant ids are in
  // its table and the README names only ALERTS_ADMIN_GROUP_ID and BOT_ENDPOINT as ignored by the
  // sandbox, so a malformed tenant stops the sandbox's start too, in the words a real tenant's
  // start uses; a well-formed one (a real tenant's `.env` in the shell) never does.
  it('MicrosoftAppTenantId and AAD_APP_TENANT_ID: a malformed value stops the sandbox too, in the same words', () => {
    for (const [key, bad] of [
      ['MicrosoftAppTenantId', 'not a tenant!'],
      ['AAD_APP_TENANT_ID', '%%%'],
      ['SECRET_AAD_APP_TENANT_ID', 'contoso'],
    ] as const) {
      const plain = key.replace(/^SECRET_/, '') as 'MicrosoftAppTenantId' | 'AAD_APP_TENANT_ID';
      const sandbox = problems({ [key]: bad });
      const real = problems({ ...production, [plain]: bad });
      assert.equal(sandbox.length, 1, `${key}: ${sandbox.join('\n')}`);
      assert.ok(real.includes(sandbox[0]!), `${key}: the real tenant's words, got ${sandbox[0]}`);
      assert.ok(sandbox[0]!.startsWith(plain), sandbox[0]);
    }
    for (const good of [TENANT, 'contoso.onmicrosoft.com']) {
      assert.equal(readConfig({ MicrosoftAppTenantId: good, AAD_APP_TENANT_ID: good }).mode, 'sandbox');
    }
    assert.deepEqual(ignoredInSandbox({ MicrosoftAppTenantId: TENANT, AAD_APP_TENANT_ID: TENANT }), []);
  });

  // Not needed by a MultiTenant bot, yet listed: a malformed one stops its start as well.
  it('MicrosoftAppTenantId: optional for a MultiTenant bot, but never malformed', () => {
    const multi = { ...production, MicrosoftAppType: 'MultiTenant' };
    const { MicrosoftAppTenantId: _none, ...withoutTenant } = multi;
    assert.equal(readConfig(withoutTenant).mode, 'production');
    assert.deepEqual(problems({ ...multi, MicrosoftAppTenantId: 'not a tenant!' }), [
      "MicrosoftAppTenantId must be the bot's tenant id (a GUID or domain).",
    ]);
  });
});
