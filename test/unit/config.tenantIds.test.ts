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
  // A value that is set is not "required": the refusal says what is wrong with it and what to give
  // instead. Entra's tenant in an authority is a tenant id (GUID) or a verified domain; `common`,
  // `organizations` and `consumers` are not one tenant, and the on-behalf-of exchange and the
  // inbound tenant check need the SSO app's own
  // (https://learn.microsoft.com/entra/identity-platform/msal-client-application-configuration#authority).
  it('AAD_APP_TENANT_ID set but malformed: says what to give, never "is required", never the value', () => {
    for (const bad of [
      'common',
      'organizations',
      'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      'Zx8Q~s3cr3t',
    ]) {
      for (const env of [{ AAD_APP_TENANT_ID: bad }, { ...production, AAD_APP_TENANT_ID: bad }]) {
        const found = problems(env).filter((p) => p.startsWith('AAD_APP_TENANT_ID'));
        assert.equal(found.length, 1, found.join('\n'));
        assert.doesNotMatch(found[0]!, /is required/, found[0]);
        assert.match(found[0]!, /GUID/);
        assert.match(found[0]!, /contoso\.onmicrosoft\.com/);
        assert.match(found[0]!, /common/);
        if (!/^(common|organizations)$/.test(bad)) assert.ok(!found[0]!.includes(bad), found[0]);
      }
    }
    const { AAD_APP_TENANT_ID: _none, ...missing } = production;
    assert.deepEqual(
      problems(missing).filter((p) => p.startsWith('AAD_APP_TENANT_ID')),
      ['AAD_APP_TENANT_ID is required: the tenant id (a GUID or domain) of the SSO app.'],
    );
  });
});
