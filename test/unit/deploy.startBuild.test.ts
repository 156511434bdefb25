// `npm start` (scripts/start.js) builds first when dist/ is older than the sources. On App Service
// the deployment has already built (SCM_DO_BUILD_DURING_DEPLOYMENT), and Oryx then copies the
// tree to /home/site/wwwroot with `rsync -rcE --links`, by checksum and without `--times`
// ("the destination directory could be from a different file system (ex: NFS) where setting
// modification times results in errors": https://github.com/microsoft/Oryx, the build script
// templates), so every copied file gets the time of the copy, dist/ before src/. Judged by those
// times, every start there found dist/ stale and ran tsc again, on every instance at once, into the
// dist/ they share while the others load it. On App Service (WEBSITE_HOSTNAME and
// WEBSITE_SITE_NAME, both set by the platform:
// https://learn.microsoft.com/azure/app-service/reference-app-settings#app-environment) the
// deployment's build is used as it is, and a build is made only when it is missing. WEBSITE_HOSTNAME
// alone is no sign of App Service: the README names it as the sign-in pages' origin, so a developer
// may set it on their own machine, where an edited source must still be built.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

/** What App Service sets on every instance: the web app's default host and its name. */
const APP_SERVICE = {
  WEBSITE_HOSTNAME: 'governance-bot.azurewebsites.net',
  WEBSITE_SITE_NAME: 'governance-bot',
};

/** A tree shaped as Oryx leaves it: scripts/start.js, a built entry, then sources copied later. */
function copiedTree(withBuild: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-start-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(projectRoot(), 'scripts', 'start.js'), path.join(dir, 'scripts', 'start.js'));
  const old = new Date(Date.now() - 60_000);
  if (withBuild) {
    fs.mkdirSync(path.join(dir, 'dist', 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist', 'src', 'index.js'), "process.stdout.write('the built bot ran\\n');\n");
    fs.utimesSync(path.join(dir, 'dist', 'src', 'index.js'), old, old);
  }
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'index.ts'), '');
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{}');
  fs.writeFileSync(path.join(dir, 'tsconfig.build.json'), '{}');
  return dir;
}

function start(dir: string, env: Record<string, string>) {
  const { WEBSITE_HOSTNAME: _w, WEBSITE_SITE_NAME: _i, ...rest } = process.env;
  return spawnSync(process.execPath, [path.join(dir, 'scripts', 'start.js')], {
    cwd: dir,
    env: { ...rest, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('deploy: npm start on App Service runs the deployment’s build', () => {
  it('does not build again at start when the copy made the sources look newer', () => {
    const dir = copiedTree(true);
    const r = start(dir, APP_SERVICE);
    assert.doesNotMatch(r.stdout, /Building/, r.stderr);
    assert.equal(r.stdout.trim(), 'the built bot ran', r.stderr);
    assert.equal(r.status, 0);
  });

  it('still builds on this machine when the sources are newer, and on App Service when there is no build', () => {
    // No TypeScript in the stand-in tree: the build is seen to start, then fails.
    for (const [tree, env] of [
      [copiedTree(true), {}],
      [copiedTree(false), APP_SERVICE],
      // A developer's machine naming the sign-in pages' origin (README, WEBSITE_HOSTNAME) is not App Service.
      [copiedTree(true), { WEBSITE_HOSTNAME: 'bot.contoso.net' }],
    ] as const) {
      const r = start(tree, env);
      assert.match(r.stdout, /Building Governance Bot/);
      assert.notEqual(r.status, 0);
    }
  });
});
