// What the running bot keeps loaded in its ordinary configuration (SQLite state, not the sandbox),
// after a command turn has rendered its card: none of the code that only other configurations use
// (the Azure Storage SDKs, the sandbox's simulated tenant). Every module loaded stays resident for
// the process's life, so each of these would be memory spent on every instance for nothing.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { BotProcess, World, isCard, message, post, startBot, startWorld, userOf } from './harness';

describe('modules resident in the running bot', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;

  before(async () => {
    world = await startWorld();
    bot = await startBot(
      world,
      world.botEnv(),
      path.join(projectRoot(), 'dist', 'test', 'fixtures', 'moduleReportEntry.js'),
    );
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
  });

  async function loadedModules(): Promise<string[]> {
    bot.child.kill('SIGUSR2');
    for (;;) {
      const report = bot.lines().find((l) => l.event === 'test.modules');
      if (report) return report.modules as string[];
      if (bot.child.exitCode !== null) throw new Error('the bot exited');
      await new Promise((r) => setImmediate(r));
    }
  }

  it('loads no Azure Storage SDK and no sandbox with SQLite state', async () => {
    const who = userOf(world.seed, 0);
    const res = await post(world, bot, message(world, who, 'help'));
    assert.equal(res.status, 200);
    await world.waitFor((c) => c.conversationId === `a:personal-${who.aadObjectId}` && isCard(c));
    const modules = await loadedModules();
    assert.ok(
      modules.some((m) => m.includes(`${path.sep}better-sqlite3${path.sep}`)),
      'the SQLite store is in use',
    );
    assert.ok(
      modules.some((m) => m.endsWith(`${path.sep}cards${path.sep}render.js`)),
      "the cards' renderer is loaded",
    );
    const unwanted = modules.filter((m) =>
      /[\\/]node_modules[\\/](@azure[\\/]storage-|@azure[\\/]core-xml)|[\\/]dist[\\/]src[\\/]sandbox[\\/]/.test(m),
    );
    assert.deepEqual(unwanted, []);
  });
});
