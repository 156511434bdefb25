// README: every environment variable the product reads is named there, and every variable the
// configuration table lists is read. The table's own variables are CONFIG_KEYS (readme.test.ts);
// these are the others: read directly from the environment in src/ (the sandbox's own), or by
// Node and @azure/identity for the bot.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_KEYS } from '../../src/config';
import { projectRoot } from '../../src/paths';

const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');

/** Variables read in src/ by name, outside configValue (which reads CONFIG_KEYS and SECRET_ ones). */
function readInSource(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const at = path.join(dir, e.name);
      if (e.isDirectory()) walk(at);
      else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(at, 'utf8');
        for (const m of text.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
        for (const m of text.matchAll(/\benv\[['"]([A-Za-z_][A-Za-z0-9_]*)['"]\]/g)) names.add(m[1]!);
      }
    }
  };
  walk(path.join(projectRoot(), 'src'));
  return names;
}

describe('README: the environment', () => {
  it('names every variable the source reads from the environment itself', () => {
    const names = readInSource();
    assert.ok(names.has('SANDBOX_TENANT_OPTIONS'), `found: ${[...names].join(', ')}`);
    for (const name of names) assert.ok(readme.includes(`\`${name}\``), `README does not name ${name}`);
  });

  it('lists in its configuration table only variables that something reads', () => {
    const start = readme.indexOf('<!-- config:start -->');
    const table = readme.slice(start, readme.indexOf('<!-- config:end -->'));
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    // Read by Node (NODE_EXTRA_CA_CERTS) and by @azure/identity's managed identity credential.
    const platform = ['NODE_EXTRA_CA_CERTS', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER'];
    const known = new Set<string>([...CONFIG_KEYS, ...platform]);
    for (const row of rows) {
      const first = row.split(' | ')[0]!;
      for (const m of first.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)) {
        assert.ok(known.has(m[1]!), `the configuration table lists ${m[1]}, which nothing reads`);
      }
    }
  });
});

describe('README: the Node runtime', () => {
  it('says that the Node the template deploys is past its end of life, while it is Node 20', () => {
    // Node.js 20's end of life: 2026-04-30 (the Node.js release schedule). App Service keeps such
    // apps running but no longer patches the runtime:
    // https://learn.microsoft.com/azure/app-service/language-support-policy
    const bicep = fs.readFileSync(path.join(projectRoot(), 'infra', 'azure.bicep'), 'utf8');
    const major = /linuxFxVersion:\s*'NODE\|(\d+)-lts'/.exec(bicep)?.[1] ?? assert.fail('no linuxFxVersion');
    if (major !== '20') return;
    const deploy = readme.slice(readme.indexOf('## Deploy to Azure'), readme.indexOf('## Registering the Entra app'));
    assert.match(deploy, /Node\.js 20 reached its end of life on\s+2026-04-30/);
    assert.match(deploy, /learn\.microsoft\.com\/azure\/app-service\/language-support-policy/);
  });
});
