// Issue 7.10: a hung connector must not keep the bot from stopping. With a notification send and
// a reply both hanging, SIGTERM still ends the process (it drains for a few seconds, then exits),
// and the notification it could not finish is delivered by the next process on the same state.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotProcess, World, message, post, startBot, startWorld, userOf } from './harness';

describe('shutdown with a hung connector', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess | undefined;
  let stateDir: string;

  before(async () => {
    world = await startWorld();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-shutdown-'));
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('exits after SIGTERM while a send and a reply hang, and the next process delivers the card', async () => {
    const env = world.botEnv({ STATE_DIRECTORY: stateDir });
    bot = await startBot(world, env);
    const admin = userOf(world.seed, 0);
    const install = { ...message(world, admin, ''), type: 'installationUpdate', action: 'add', text: undefined };
    assert.equal((await post(world, bot, install)).status, 200);

    world.connectorFaults.push({ status: 0, hang: true }, { status: 0, hang: true });
    const token = world.tenant.issueAppToken({
      audience: world.seed.app.clientId,
      roles: ['Notifications.Send'],
      host: new URL(world.tenantServer.url).host,
    });
    const accepted = await fetch(`${bot.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        eventId: 'hung-1',
        kind: 'roleRequest',
        target: { userId: admin.aadObjectId },
        requestId: world.seed.examples.roleRequestId,
        principalName: 'Adele Vance',
        roleName: 'Global Administrator',
      }),
    });
    assert.equal(accepted.status, 202);
    await until(() => world.faultHits >= 1, 'the notification send to reach the connector');
    // A turn whose reply hangs too: it is under way when the signal comes.
    const turn = post(world, bot, message(world, admin, 'help')).catch(() => null);
    await until(() => world.faultHits >= 2, 'the reply to reach the connector');

    const child = bot.child;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
    assert.ok(child.exitCode !== null || child.signalCode !== null, 'the process exited');
    await turn;

    // The send cut short went back to the outbox: the next process delivers it.
    bot = await startBot(world, env);
    await world.waitFor((c) => c.method === 'POST' && JSON.stringify(c.activity).includes('Global Administrator'));
  });
});
