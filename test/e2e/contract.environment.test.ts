// Contract §2 (../shared/contract.md), written from the contract alone: "Variables not in this table
// are ignored". A real-tenant start that sets every variable the table lists, and nothing the
// table does not name, must start and answer /healthz as §1 says ("With both set it runs for real").

import { strict as assert } from 'node:assert';
import { BotProcess, World, startBot, startWorld } from './harness';

describe('contract §2: only the table’s variables matter at start', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess | undefined;

  before(async () => {
    world = await startWorld();
  });

  after(async () => {
    await bot?.stop();
    await world.close();
  });

  it('starts for real with every listed variable set and no variable the table does not list', async () => {
    // The harness's environment is the table's variables (identity, botbuilder endpoints, the SSO app,
    // its authority host, GRAPH_ENDPOINT) plus IDENTITY_ENDPOINT/IDENTITY_HEADER, which §2 names for
    // UserAssignedMSI, and two the table does not list. Per README a variable set to the empty string
    // counts as not set, so BOT_ENDPOINT is taken away here; STATE_DIRECTORY stays only so that the
    // bot does not write into the checkout (an unlisted variable is ignored either way).
    bot = await startBot(world, world.botEnv({ BOT_ENDPOINT: '' })).catch((e: Error) => {
      assert.fail(`the bot refused a configuration that sets every variable of contract §2: ${e.message}`);
    });
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
  });
});
