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
