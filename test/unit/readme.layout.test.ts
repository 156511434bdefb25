// README "Layout": a newcomer finds every part of the repository there. Each top-level folder the
// repository keeps (but node_modules and the build output) and each entry of src/ is named in it.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

function layout(): string {
  const start = readme.indexOf('## Layout');
  assert.ok(start >= 0, 'README has no Layout section');
  const block = /```\n([\s\S]*?)```/.exec(readme.slice(start));
  return block?.[1] ?? assert.fail('the Layout section has no block');
}

/** The folder's entries as git keeps them: what .gitignore names (build output, Azurite's files
 * left by the tests, node_modules, a folder holding only ignored folders) left out. */
function kept(dir: string): string[] {
  const lines = fs
    .readFileSync(path.join(root, '.gitignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim().replace(/\/$/, ''))
    .filter((l) => l !== '' && !l.startsWith('#'));
  const names = lines.filter((l) => !l.includes('/'));
  const nested = new Set(lines.filter((l) => l.includes('/') && !l.includes('*')));
  const ignored = (name: string): boolean => {
    if (name === '.git' || names.some((p) => p === name || (p.endsWith('*') && name.startsWith(p.slice(0, -1)))))
      return true;
    const at = path.join(root, dir, name);
    if (dir !== '.' || !fs.statSync(at).isDirectory()) return false;
    const inside = fs.readdirSync(at);
    return inside.length > 0 && inside.every((e) => nested.has(`${name}/${e}`));
  };
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((e) => !ignored(e.name))
    .map((e) => e.name);
}

describe('README: the layout', () => {
  it('names every top-level folder', () => {
    const text = layout();
    const folders = fs
      .readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .filter((name) => kept('.').includes(name));
    assert.ok(folders.includes('src') && folders.includes('env'), `found: ${folders.join(', ')}`);
    for (const name of folders) {
      if (name === 'test') continue;
      assert.match(text, new RegExp(`^${name.replace('.', '\\.')}\\b`, 'm'), `the Layout does not name ${name}/`);
    }
  });

  it('names every folder of test/ and every entry of src/', () => {
    const text = layout();
    for (const name of kept('test')) assert.ok(text.includes(`test/${name}`), `the Layout does not name test/${name}`);
    for (const name of kept('src')) {
      const named = name.startsWith('config') ? 'src/config*.ts' : `src/${name}`;
      assert.ok(text.includes(named), `the Layout does not name src/${name}`);
    }
  });
});
