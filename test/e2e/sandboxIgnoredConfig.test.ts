// The sandbox ignores ALERTS_ADMIN_GROUP_ID (its bot uses the demo's alerts admin group: a real
// group id means nothing in the simulated tenant), so a value in the environment (a real tenant's
// `.env` loaded in the shell) must not stop `npm start`, even one that is not a group id: the
// launcher says once that it ignores the variable, and never prints its value. So too for a
// well-formed GRAPH_ENDPOINT or AAD_APP_OAUTH_AUTHORITY_HOST, which its bot replaces with the
// simulated tenant's (withSandboxTenant): whoever set them learns why their Graph is not reached.

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

  it('names a GRAPH_ENDPOINT and AAD_APP_OAUTH_AUTHORITY_HOST it replaces, without their values', async () => {
    const env = {
      GRAPH_ENDPOINT: 'https://graph.contoso-sovereign.example',
      AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.contoso-sovereign.example',
    };
    const { run, child } = await startSandbox(env);
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
    assert.deepEqual(ignored[0]!.variables, ['AAD_APP_OAUTH_AUTHORITY_HOST', 'GRAPH_ENDPOINT']);
    assert.ok(!run.output().includes('contoso-sovereign'), 'the replaced values are never printed');
  });
});
