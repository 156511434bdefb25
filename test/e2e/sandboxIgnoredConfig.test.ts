// The sandbox ignores ALERTS_ADMIN_GROUP_ID (its bot uses the demo's alerts admin group: a real
// group id means nothing in the simulated tenant), so a value in the environment (a real tenant's
// `.env` loaded in the shell) must not stop `npm start`, even one that is not a group id: the
// launcher says once that it ignores the variable, and never prints its value.

import { strict as assert } from 'node:assert';
import { startSandbox } from '../fixtures/sandboxRun';

describe('the sandbox and a variable it ignores', function () {
  this.timeout(120_000);

  it('starts with a malformed ALERTS_ADMIN_GROUP_ID, saying once that it is ignored, without its value', async () => {
    const value = 'identity-admins-not-a-guid';
    const { run, child } = await startSandbox({ ALERTS_ADMIN_GROUP_ID: value });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
    const lines = run
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event?: string; variables?: unknown });
    const ignored = lines.filter((l) => l.event === 'sandbox.config.ignored');
    assert.equal(ignored.length, 1, 'said once (by the launcher, not again by its bot)');
    assert.deepEqual(ignored[0]!.variables, ['ALERTS_ADMIN_GROUP_ID']);
    assert.ok(!run.output().includes(value), 'the ignored value is never printed');
  });
});
