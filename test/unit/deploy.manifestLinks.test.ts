import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

/** Every GET path the bot's web app answers (src/**: server.get('/…'), the health probes mounted
 * through server.ts' probe('/…'), which answers GET and HEAD, and the sign-in pages). */
function servedPaths(): Set<string> {
  const paths = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:server\.get|probe)\('([^']+)'/g)) paths.add(m[1]!);
        for (const m of text.matchAll(/_PATH = '([^']+)'/g)) paths.add(m[1]!);
      }
    }
  };
  walk(path.join(root, 'src'));
  return paths;
}

describe('deploy: the links of the Teams app manifest', () => {
  // developer.websiteUrl, privacyUrl and termsOfUseUrl are the pages Teams shows on the app's
  // details ("The https:// URL to the developer's privacy policy", …):
  // https://learn.microsoft.com/microsoftteams/platform/resources/schema/manifest-schema#developer
  // A link to a page on the bot's own domain must be a page the bot serves.
  it('names no page on the bot’s domain that the bot does not serve', () => {
    const manifest = JSON.parse(read('manifest/manifest.json')) as { developer: Record<string, string> };
    const served = servedPaths();
    assert.ok(served.has('/healthz'), 'the route scan finds the bot’s pages');
    // A link is written in the manifest or, as ${{VAR}}, in the env files npm run package and the
    // Agents Toolkit fill it from; BOT_DOMAIN is written either way in those files.
    const envs = ENV_FILES.map((file) => envOf(read(file)));
    let checked = 0;
    for (const field of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
      const written = manifest.developer[field]!;
      const variable = /^\$\{\{(\w+)\}\}$/.exec(written)?.[1];
      const links = variable
        ? envs.map((env) => [env[variable], env.BOT_DOMAIN] as const)
        : [[written, undefined] as const];
      for (const [url, botDomain] of links) {
        if (!url) continue;
        checked++;
        const domains = [
          '\\$\\{\\{BOT_DOMAIN\\}\\}',
          ...(botDomain ? [botDomain.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')] : []),
        ];
        const own = new RegExp(`^https://(?:${domains.join('|')})(/[^?#]*)?$`, 'i').exec(url);
        if (!own) continue;
        const page = own[1] ?? '/';
        assert.ok(served.has(page), `developer.${field} is ${url}, a page the bot does not serve (404)`);
      }
    }
    assert.ok(checked >= 3, `the links were found (${checked})`);
  });
});

const ENV_FILES = ['env/.env.dev', 'env/.env.dev.example', 'env/.env.local'];

/** The NAME=value lines of an env file. */
function envOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()] as const));
}
