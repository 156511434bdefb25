// An empty STATE_DIRECTORY means "not set", for the sandbox launcher as for the bot's configuration
// (README, "Configuration"): the sandbox bot keeps its state in `.sandbox/state`, emptied at every
// start because the simulated tenant starts fresh. The launcher used to clear `.sandbox/state` while
// handing its bot the empty value, which the bot took as unset and so used `.data/state`: state that
// no start clears, against a tenant that forgets everything.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { startSandbox } from '../fixtures/sandboxRun';

describe('the sandbox with STATE_DIRECTORY set to the empty string', function () {
  this.timeout(120_000);

  it('keeps its state in .sandbox/state, emptied at start, as when the variable is not set', async () => {
    const stateDir = path.join(projectRoot(), '.sandbox', 'state');
    fs.mkdirSync(stateDir, { recursive: true });
    const stale = path.join(stateDir, 'left-by-an-earlier-start');
    fs.writeFileSync(stale, '');
    const { child } = await startSandbox({ STATE_DIRECTORY: '' });
    try {
      assert.ok(!fs.existsSync(stale), 'the state of an earlier start was cleared');
      // The banner comes after the bot answered /healthz, its state store open by then.
      assert.ok(fs.existsSync(path.join(stateDir, 'state.db')), 'the sandbox bot keeps its state in .sandbox/state');
    } finally {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
