// env/.env.dev.example says to copy it to a `.user` file of an environment of one's own
// (env/.env.run.user) and that `npm run package` fills the manifest from the same values. The
// package (and scripts/register-sso-app.js) read env/.env.<name> and then env/.env.<name>.user: an
// environment that has only the `.user` file, as the example makes, is read from it, not refused
// with advice to copy env/.env.dev and run the Agents Toolkit's provision step.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const example = fs.readFileSync(path.join(root, 'env', '.env.dev.example'), 'utf8');

/** The example with its stand-ins replaced by an app's own values. */
const filled = example
  .replace(/^TEAMS_APP_ID=.*$/m, 'TEAMS_APP_ID=6b8f2f5e-1f0a-4c55-9f1c-3a2b4c5d6e7f')
  .replace(/^BOT_ID=.*$/m, 'BOT_ID=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d')
  .replace(/^AAD_APP_CLIENT_ID=.*$/m, 'AAD_APP_CLIENT_ID=1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d')
  .replace(/^BOT_DOMAIN=.*$/m, 'BOT_DOMAIN=governance-bot.fabrikam.example')
  .replace(/^DEVELOPER_WEBSITE_URL=.*$/m, 'DEVELOPER_WEBSITE_URL=https://www.fabrikam.example')
  .replace(/^PRIVACY_URL=.*$/m, 'PRIVACY_URL=https://www.fabrikam.example/privacy')
  .replace(/^TERMS_OF_USE_URL=.*$/m, 'TERMS_OF_USE_URL=https://www.fabrikam.example/terms');

describe('deploy: env/.env.dev.example copied to an environment’s .user file', function () {
  this.timeout(60_000);

  it('names a .user file to copy it to, and the package command for that environment', () => {
    const copyTo = /Copy to env\/\.env\.([\w-]+)\.user\b/.exec(example);
    assert.ok(copyTo, 'the example says where to copy it');
    assert.ok(example.includes(`npm run package -- --env ${copyTo[1]}`), 'and how to package from it');
  });

  it('is packaged from that file alone', () => {
    // An environment name of this test's own: a real env/.env.run.user is never touched.
    const env = `t${randomUUID().slice(0, 8)}`;
    const file = path.join(root, 'env', `.env.${env}.user`);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gb-env-')), 'app.zip');
    fs.writeFileSync(file, filled);
    try {
      const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.js'), '--env', env, '--out', out], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(fs.existsSync(out), 'the package was written');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('still refuses an environment with neither file, naming env/.env.<name>', () => {
    const env = `t${randomUUID().slice(0, 8)}`;
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.js'), '--env', env], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`env/\\.env\\.${env} does not exist`));
  });
});
