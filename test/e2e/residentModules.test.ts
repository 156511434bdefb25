// What the running bot keeps loaded in its ordinary configuration (SQLite state, not the sandbox),
// after a command turn has rendered its card: none of the code that only other configurations use
// (the Azure Storage SDKs, the sandbox's simulated tenant). Every module loaded stays resident for
// the process's life, so each of these would be memory spent on every instance for nothing. Code
// that only a rarer path uses (jose, which checks the notification intake's Entra tokens) is
// loaded when that path first runs, not at start.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { BotProcess, World, isCard, message, post, startBot, startWorld, userOf } from './harness';

describe('modules resident in the running bot', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  let reportFile: string;

  before(async () => {
    world = await startWorld();
    reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-modules-')), 'modules.json');
    bot = await startBot(
      world,
      world.botEnv({ MODULE_REPORT_FILE: reportFile }),
      path.join(projectRoot(), 'dist', 'test', 'fixtures', 'moduleReportEntry.js'),
    );
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
    if (reportFile) fs.rmSync(path.dirname(reportFile), { recursive: true, force: true });
  });

  async function loadedModules(): Promise<string[]> {
    // Each report prints its line: wait for one more than were printed before this one.
    const reports = () => bot.lines().filter((l) => l.event === 'test.modules').length;
    const before = reports();
    bot.child.kill('SIGUSR2');
    while (reports() === before) {
      if (bot.child.exitCode !== null || bot.child.signalCode !== null) throw new Error('the bot exited');
      await new Promise((r) => setTimeout(r, 10));
    }
    return JSON.parse(fs.readFileSync(reportFile, 'utf8')) as string[];
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

  it('loads jose only once a notification comes in', async () => {
    const jose = (modules: string[]) =>
      modules.filter((m) => m.includes(`${path.sep}node_modules${path.sep}jose${path.sep}`));
    assert.deepEqual(jose(await loadedModules()), [], 'jose is not loaded at start');
    const host = new URL(world.tenantServer.url).host;
    const token = world.tenant.issueAppToken({
      audience: world.seed.app.clientId,
      roles: ['Notifications.Send'],
      host,
    });
    const res = await fetch(`${bot.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        eventId: 'resident-jose',
        kind: 'roleRequest',
        target: { userId: userOf(world.seed, 0).aadObjectId },
        requestId: world.seed.examples.roleRequestId,
      }),
    });
    assert.equal(res.status, 202);
    assert.notDeepEqual(jose(await loadedModules()), [], 'jose is loaded to check the token');
  });
});
