// The sandbox under every CLOUD value: contract §1 says that in the sandbox "help shows commands
// with demo ids that work against the simulated tenant", and §3 that help lists every command with
// an example; the card itself says "every example works as typed". The simulated tenant the
// launcher starts plays the global cloud (sandbox/start.ts), so its bot must not gate commands by
// another cloud: with CLOUD=usgov the workflow-run cancel (global only in the catalog, as Graph's
// lifecycle workflows page says: https://learn.microsoft.com/graph/api/resources/identitygovernance-lifecycleworkflows-overview
// "National cloud deployments") was refused there, help calling it "not offered".

import { strict as assert } from 'node:assert';
import { parseCommand } from '../../src/bot/commands';
import { createReplyCards } from '../../src/bot/replyCards';
import { ignoredInSandbox, readConfig } from '../../src/config';
import { CATALOG, CLOUDS } from '../../src/domain/operations';
import { sandboxChildConfig } from '../../src/sandbox/start';

const TENANT_URL = 'https://127.0.0.1:45443';

describe('the sandbox under every CLOUD value', () => {
  for (const cloud of CLOUDS) {
    it(`CLOUD=${cloud}: every help example names an operation its bot offers`, () => {
      const { config, link } = sandboxChildConfig(readConfig({ CLOUD: cloud }), TENANT_URL);
      const card = JSON.stringify(createReplyCards({ cloud: config.cloud, examples: link.examples }).help().attachment);
      assert.ok(!card.includes('not offered in'), 'help calls a command not offered');
      const operations = [...card.matchAll(/"e\.g\. ([^"]+)"/g)]
        .map((m) => parseCommand(m[1]!))
        .flatMap((p) => (p.kind === 'operation' ? [p.target.operation] : []));
      assert.equal(operations.length, 13, 'the 13 commands that name an operation');
      for (const op of operations) {
        // What the governance service checks before any Graph call (domain/governance.ts).
        assert.ok(CATALOG[op].clouds.includes(config.cloud), `${op} refused as not offered in ${config.cloud}`);
      }
    });
  }

  it('its launcher names a CLOUD it does not play among the variables it ignores; a malformed one still stops it', () => {
    assert.deepEqual(ignoredInSandbox({ CLOUD: 'usgov' }), ['CLOUD']);
    assert.deepEqual(ignoredInSandbox({ CLOUD: 'China' }), ['CLOUD']);
    assert.deepEqual(ignoredInSandbox({ CLOUD: 'global' }), []);
    assert.throws(() => readConfig({ CLOUD: 'moon' }), /CLOUD must be one of/);
  });
});
