// jose is loaded with the first token the notification intake checks (intakeAuth.ts). A load that
// fails (the process out of file descriptors for a moment, say) fails that request, which the
// route answers 503, and must not fail every later one: the next token loads jose anew. Run in a
// process of its own, as this one may have loaded jose already.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const CHILD = `
const Module = require('node:module');
const load = Module._load;
let failures = 1;
Module._load = function (request, ...rest) {
  if (request === 'jose' && failures-- > 0) {
    throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
  }
  return load.call(this, request, ...rest);
};
const { IntakeAuthenticator } = require(process.argv[1]);
const auth = new IntakeAuthenticator({
  authorityHost: 'https://login.example',
  tenantId: 'tenant',
  audiences: ['app'],
  fetch: async () => new Response('{}', { status: 500 }),
});
(async () => {
  const seen = [];
  for (let i = 0; i < 2; i++) {
    seen.push(await auth.check('Bearer a.b.c').then((r) => r.status, (e) => 'threw ' + e.code));
  }
  process.stdout.write(JSON.stringify(seen));
})();
`;

describe('notification intake authentication: loading jose', () => {
  it('tries loading jose again after a load that failed', function () {
    this.timeout(20_000);
    const module = path.join(__dirname, '..', '..', 'src', 'notifications', 'intakeAuth.js');
    const r = spawnSync(process.execPath, ['-e', CHILD, module], { encoding: 'utf8', timeout: 15_000 });
    assert.equal(r.status, 0, r.stderr);
    // The first check meets the failed load; the second loads jose and judges the token (Entra's
    // metadata answers 500 here: its keys unavailable, 503).
    assert.deepEqual(JSON.parse(r.stdout), ['threw EMFILE', 503]);
  });
});
