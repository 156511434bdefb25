import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandTableMarkdown } from '../../src/bot/commandDocs';
import { CONFIG_KEYS } from '../../src/config';
import { permissionTableMarkdown } from '../../src/domain/permissionTable';
import { projectRoot } from '../../src/paths';
import { UNCONFIRMED_ALTERNATIVES } from '../../src/sandbox/unconfirmed';

const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');

function between(start: string, end: string): string {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  assert.ok(a >= 0 && b > a, `README lacks ${start} … ${end}`);
  return readme.slice(a + start.length, b).trim();
}

describe('README', () => {
  it('shows the permission table generated from the operation catalog', () => {
    const expected = permissionTableMarkdown();
    assert.equal(
      between('<!-- permissions:start -->', '<!-- permissions:end -->'),
      expected,
      `regenerate with npm run build && node scripts/generate.js:\n${expected}`,
    );
  });

  it('shows the command table generated from the grammar', () => {
    const expected = commandTableMarkdown();
    assert.equal(
      between('<!-- commands:start -->', '<!-- commands:end -->'),
      expected,
      `regenerate with npm run build && node scripts/generate.js:\n${expected}`,
    );
  });

  it('lists every fact Microsoft has not confirmed, with what the bot does', () => {
    const section = between('### Facts Microsoft has not confirmed', '## Configuration');
    for (const key of Object.keys(UNCONFIRMED_ALTERNATIVES)) {
      assert.ok(section.includes(`(\`${key}\`)`), `README lacks the unconfirmed fact ${key}`);
    }
  });

  it('documents every configuration variable', () => {
    const table = between('<!-- config:start -->', '<!-- config:end -->');
    for (const key of CONFIG_KEYS) assert.ok(table.includes(`\`${key}\``), `README configuration table lacks ${key}`);
  });

  it('keeps the two commands', () => {
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /npm test/);
  });
});
