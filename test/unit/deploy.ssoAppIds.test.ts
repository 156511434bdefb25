import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const script = path.join(root, 'scripts', 'register-sso-app.js');
const ENV_NAME = 'deploytest-ids';

/** `node scripts/register-sso-app.js` on an environment file holding `lines`. */
function run(lines: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sso-ids-'));
  const envFile = path.join(dir, '.env');
  fs.writeFileSync(
    envFile,
    ['BOT_ID=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'BOT_DOMAIN=governance-bot.contoso.example', ...lines].join('\n'),
  );
  try {
    return spawnSync(process.execPath, [script, '--env', ENV_NAME, '--env-file', envFile], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const f of [`sso-app.${ENV_NAME}.json`, `sso-app.${ENV_NAME}.preauthorize.json`]) {
      fs.rmSync(path.join(root, 'infra', 'build', f), { force: true });
    }
  }
}

// The script prints shell commands an administrator runs as they are (README, "Deploy to Azure"),
// starting with APP_ID=<AAD_APP_CLIENT_ID>, and names the app by its appId, a GUID:
// https://learn.microsoft.com/graph/api/resources/application#properties ("appId ... the unique
// identifier for the application"). The tenant of the admin consent URL is a GUID too:
// https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent#construct-the-url-for-granting-tenant-wide-admin-consent
describe('deploy: the SSO app ids register-sso-app prints into commands', function () {
  this.timeout(10_000);

  for (const value of ['$APP_ID', 'not-a-guid; echo pwned', '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d extra']) {
    it(`refuses AAD_APP_CLIENT_ID=${value}, printing no command`, () => {
      const r = run([`AAD_APP_CLIENT_ID=${value}`]);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /AAD_APP_CLIENT_ID/);
      assert.doesNotMatch(r.stdout, /APP_ID=|az /, 'no command printed');
    });
  }

  it('refuses an AAD_APP_TENANT_ID that is not a GUID where the consent URL names it', () => {
    const r = run([
      'CLOUD=usgov',
      'AAD_APP_CLIENT_ID=1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
      'AAD_APP_TENANT_ID=x"; echo pwned; "',
    ]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /AAD_APP_TENANT_ID/);
    assert.doesNotMatch(r.stdout, /pwned/);
  });

  it('prints the commands for GUIDs', () => {
    const r = run(['AAD_APP_CLIENT_ID=1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^APP_ID=1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d$/m);
  });
});
