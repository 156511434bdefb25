// No module in src uses Node's async_hooks (AsyncLocalStorage, createHook, AsyncResource). On
// Node 20, enabling AsyncLocalStorage installs promise hooks for the whole process: once any of its
// scopes has run, every promise pays for them, inside the scope or not (a promise-heavy 26 ms loop
// measured 58 ms), and every bot turn is promise-heavy. What a command must carry across its awaits
// (Graph's last answer for its audit line, contract §6) is passed explicitly instead
// (domain/lastAnswer.ts). https://nodejs.org/docs/latest-v20.x/api/async_context.html

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

/** The TypeScript files under `dir`, recursively. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** What in a module's code (its comments aside, which may say why not) reaches async_hooks. */
function asyncHooksUse(text: string): string | null {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const found = /['"](?:node:)?async_hooks['"]|\bAsyncLocalStorage\b|\bAsyncResource\b|\bcreateHook\b/.exec(code);
  return found ? found[0] : null;
}

describe('no module in src uses async_hooks (promise hooks would slow every turn)', () => {
  it('the check finds an import, a require and AsyncLocalStorage, and passes over comments', () => {
    assert.equal(asyncHooksUse("import { AsyncLocalStorage } from 'node:async_hooks';"), 'AsyncLocalStorage');
    assert.equal(asyncHooksUse("const hooks = require('async_hooks');"), "'async_hooks'");
    assert.equal(asyncHooksUse('import * as h from "node:async_hooks";'), '"node:async_hooks"');
    assert.equal(asyncHooksUse('const s = new AsyncLocalStorage();'), 'AsyncLocalStorage');
    assert.equal(
      asyncHooksUse('// never AsyncLocalStorage: promise hooks\n/* nor node:async_hooks */\nconst a = 1;'),
      null,
    );
    assert.equal(asyncHooksUse("const u = 'https://nodejs.org/api/async_context.html';"), null);
  });

  it('finds none in src', () => {
    const files = sources(path.join(projectRoot(), 'src'));
    assert.ok(files.length > 50, `only ${files.length} sources found`);
    const users = files
      .map((f) => ({ file: path.relative(projectRoot(), f), use: asyncHooksUse(fs.readFileSync(f, 'utf8')) }))
      .filter((u) => u.use !== null);
    assert.deepEqual(users, []);
  });
});
