import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const script = path.join(root, 'scripts', 'register-sso-app.js');
const ENV_NAME = 'deploytest-consent';
const CLIENT_ID = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const TENANT_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** The commands `node scripts/register-sso-app.js` prints for an environment in `cloud`. */
function printedCommands(cloud: string, more: readonly string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-'));
  const envFile = path.join(dir, '.env');
  fs.writeFileSync(
    envFile,
    [
      `CLOUD=${cloud}`,
      `AAD_APP_CLIENT_ID=${CLIENT_ID}`,
      `AAD_APP_TENANT_ID=${TENANT_ID}`,
      'BOT_ID=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      'BOT_DOMAIN=governance-bot.contoso.example',
      ...more,
    ].join('\n'),
  );
  try {
    const r = spawnSync(process.execPath, [script, '--env', ENV_NAME, '--env-file', envFile], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const f of [`sso-app.${ENV_NAME}.json`, `sso-app.${ENV_NAME}.preauthorize.json`]) {
      fs.rmSync(path.join(root, 'infra', 'build', f), { force: true });
    }
  }
}

describe('deploy: admin consent for the SSO app (scripts/register-sso-app.js)', function () {
  this.timeout(10_000);

  // `az ad app permission admin-consent` calls a portal-internal endpoint and refuses every cloud
  // but the global one ("This command is not yet supported on sovereign clouds":
  // https://github.com/Azure/azure-cli/issues/9942). Microsoft documents the tenant-wide admin
  // consent URL instead, {sign-in host}/{tenant-id}/adminconsent?client_id={client-id}:
  // https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent#construct-the-url-for-granting-tenant-wide-admin-consent
  for (const [cloud, host] of [
    ['usgov', 'https://login.microsoftonline.us'],
    ['usgovdod', 'https://login.microsoftonline.us'],
    ['china', 'https://login.chinacloudapi.cn'],
  ] as const) {
    it(`in the ${cloud} cloud, prints the admin consent URL of that cloud instead of a command that refuses it`, () => {
      const out = printedCommands(cloud);
      assert.doesNotMatch(out, /az ad app permission admin-consent/);
      assert.ok(
        out.includes(`${host}/${TENANT_ID}/adminconsent?client_id=${CLIENT_ID}`),
        `no admin consent URL on ${host} in:\n${out}`,
      );
    });
  }

  // The bot reads CLOUD in any case and an empty value as not set (README, "Configuration"); the
  // script reads the same environment file, so it takes CLOUD the same way.
  it('reads CLOUD as the bot does: in any case, and empty as the global cloud', () => {
    const usgov = printedCommands('USGov');
    assert.ok(usgov.includes(`https://graph.microsoft.us/v1.0/applications(appId='$APP_ID')`), usgov);
    assert.ok(
      usgov.includes(`https://login.microsoftonline.us/${TENANT_ID}/adminconsent?client_id=${CLIENT_ID}`),
      usgov,
    );
    for (const unset of ['', ' ']) {
      const out = printedCommands(unset);
      assert.ok(out.includes(`https://graph.microsoft.com/v1.0/applications(appId='$APP_ID')`), out);
      assert.ok(out.includes('az ad app permission admin-consent --id "$APP_ID"'), out);
    }
  });

  // `az rest` signs a request only when --url starts with an endpoint of `az cloud show --query
  // endpoints`, or for --resource (https://learn.microsoft.com/cli/azure/reference-index#az-rest);
  // the US Government cloud of the CLI names https://graph.microsoft.us/ only, not DoD's Graph
  // (https://learn.microsoft.com/graph/deployments), so without --resource the PATCH goes unsigned.
  for (const [cloud, graph] of [
    ['global', 'https://graph.microsoft.com'],
    ['usgov', 'https://graph.microsoft.us'],
    ['usgovdod', 'https://dod-graph.microsoft.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn'],
  ] as const) {
    it(`in the ${cloud} cloud, asks az rest for a token for the Graph it calls`, () => {
      const calls = printedCommands(cloud)
        .split('\n')
        .filter((line) => line.startsWith('az rest '));
      assert.equal(
        calls.filter((call) => call.startsWith('az rest --method PATCH ')).length,
        2,
        'the application PATCH and the pre-authorization PATCH',
      );
      for (const call of calls) {
        assert.ok(call.includes(`--uri "${graph}/v1.0/`), call);
        assert.ok(call.includes(`--resource "${graph}"`), call);
      }
    });
  }

  // The app's service principal (what admin consent is granted to) is created through the same
  // Graph: `az ad sp` calls the Graph of the CLI's cloud, graph.microsoft.us in its US Government
  // cloud, which is the L4 Graph; DoD tenants have their own (https://learn.microsoft.com/graph/deployments).
  // GET servicePrincipals(appId='…') and POST servicePrincipals:
  // https://learn.microsoft.com/graph/api/serviceprincipal-get, https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals
  for (const [cloud, graph] of [
    ['global', 'https://graph.microsoft.com'],
    ['usgovdod', 'https://dod-graph.microsoft.us'],
  ] as const) {
    it(`in the ${cloud} cloud, creates the service principal through the Graph it calls, once`, () => {
      const out = printedCommands(cloud);
      assert.doesNotMatch(out, /az ad sp/, out);
      const line = out.split('\n').find((l) => l.includes('/v1.0/servicePrincipals'));
      assert.ok(line, out);
      assert.ok(
        line.startsWith(
          `az rest --method GET --uri "${graph}/v1.0/servicePrincipals(appId='$APP_ID')" --resource "${graph}" `,
        ),
        line,
      );
      assert.ok(
        line.includes(` || az rest --method POST --uri "${graph}/v1.0/servicePrincipals" --resource "${graph}" `),
        line,
      );
      assert.ok(line.includes(`--body "{\\"appId\\":\\"$APP_ID\\"}"`), line);
    });
  }

  it('in the global cloud, still grants admin consent', () => {
    const out = printedCommands('global');
    assert.ok(
      out.includes(`az ad app permission admin-consent --id "$APP_ID"`) ||
        out.includes(`https://login.microsoftonline.com/${TENANT_ID}/adminconsent?client_id=${CLIENT_ID}`),
      out,
    );
  });

  // The bot calls the Graph and signs in at the host GRAPH_ENDPOINT and AAD_APP_OAUTH_AUTHORITY_HOST
  // name when they are set (README, "Configuration"): the registration is applied where the bot
  // will call, and consent asked where its users sign in, not at the defaults of CLOUD.
  it('applies the registration at GRAPH_ENDPOINT and asks consent at AAD_APP_OAUTH_AUTHORITY_HOST when set', () => {
    const out = printedCommands('global', [
      'GRAPH_ENDPOINT=https://graph.microsoft.us/',
      'AAD_APP_OAUTH_AUTHORITY_HOST=https://login.microsoftonline.us',
    ]);
    const calls = out.split('\n').filter((line) => line.startsWith('az rest '));
    assert.equal(calls.filter((call) => call.startsWith('az rest --method PATCH ')).length, 2, out);
    for (const call of calls) {
      assert.ok(call.includes(`--uri "https://graph.microsoft.us/v1.0/`), call);
      assert.ok(call.includes(`--resource "https://graph.microsoft.us"`), call);
    }
    assert.doesNotMatch(out, /graph\.microsoft\.com|az ad app permission admin-consent/, out);
    assert.ok(out.includes(`https://login.microsoftonline.us/${TENANT_ID}/adminconsent?client_id=${CLIENT_ID}`), out);
  });

  it('refuses a GRAPH_ENDPOINT the bot would refuse, naming it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-'));
    const envFile = path.join(dir, '.env');
    fs.writeFileSync(
      envFile,
      [
        `AAD_APP_CLIENT_ID=${CLIENT_ID}`,
        'BOT_ID=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        'BOT_DOMAIN=governance-bot.contoso.example',
        'GRAPH_ENDPOINT=https://graph.microsoft.com/v1.0',
      ].join('\n'),
    );
    try {
      const r = spawnSync(process.execPath, [script, '--env', ENV_NAME, '--env-file', envFile], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /GRAPH_ENDPOINT/);
      assert.doesNotMatch(r.stdout, /az rest/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      for (const f of [`sso-app.${ENV_NAME}.json`, `sso-app.${ENV_NAME}.preauthorize.json`]) {
        fs.rmSync(path.join(root, 'infra', 'build', f), { force: true });
      }
    }
  });
});
