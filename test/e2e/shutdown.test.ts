// Issue 7.10: a hung connector must not keep the bot from stopping. With a notification send and
// a reply both hanging, SIGTERM still ends the process (it drains for a few seconds, then exits),
// and the notification it could not finish is delivered by the next process on the same state.
// And a command that finishes while the bot stops still leaves everything its action writes after
// the answer (the digest's count of it) in the state before the process exits.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotProcess, World, invoke, isCard, message, post, startBot, startWorld, userOf } from './harness';

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
    const stopped = bot;
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    child.kill('SIGTERM');
    await exited;
    // On its own, at the shutdown's deadline (not the forced exit), and not as a clean stop: the
    // request whose reply hung was cut short with its connection, which the log says.
    assert.equal(child.exitCode, 1, stopped.stderr());
    const failed = stopped.lines().find((l) => l['event'] === 'bot.stop.failed');
    assert.match(JSON.stringify(failed), /the requests under way did not finish in time/);
    assert.ok(!stopped.lines().some((l) => l['event'] === 'bot.stop.forced'), 'ended before the forced exit');
    await turn;

    // The send cut short went back to the outbox: the next process delivers it.
    bot = await startBot(world, env);
    await world.waitFor((c) => c.method === 'POST' && JSON.stringify(c.activity).includes('Global Administrator'));
  });

  it('a command that finishes during shutdown is counted for the digest before the process exits', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-shutdown-count-'));
    try {
      await bot?.stop();
      bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: dir }));
      const who = userOf(world.seed, 0);
      const conversation = `a:personal-${who.aadObjectId}`;
      // Sign in: the first command gets the sign-in card, the token exchange runs it.
      let mark = world.calls.length;
      await post(world, bot, message(world, who, 'cancel group-request 00000000-0000-0000-0000-00000000000a'));
      const oauth = await world.waitFor(
        (c) =>
          world.calls.indexOf(c) >= mark &&
          c.conversationId === conversation &&
          isCard(c, 'application/vnd.microsoft.card.oauth'),
      );
      const { id } = (oauth.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!
        .content.tokenExchangeResource;
      const sso = world.tenant.issueSsoToken(who.aadObjectId, world.seed.app.clientId);
      assert.equal(
        (await post(world, bot, invoke(world, who, 'signin/tokenExchange', { id, connectionName: '', token: sso })))
          .status,
        200,
      );

      // One 429 with Retry-After: 1 keeps the command under way for a second; the typing indicator
      // (sent after 400 ms) shows it is, and then the signal comes.
      world.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 429, times: 1, retryAfter: '1' });
      mark = world.calls.length;
      const turn = post(world, bot, message(world, who, `cancel role-request ${world.seed.examples.roleRequestId}`));
      await world.waitFor(
        (c) => world.calls.indexOf(c) >= mark && c.conversationId === conversation && c.activity.type === 'typing',
      );
      const child = bot.child;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      assert.equal((await turn).status, 200, 'the turn under way finished');
      await exited;
      bot = undefined;

      const db = new Database(path.join(dir, 'state.db'), { readonly: true });
      try {
        const days = db.prepare("SELECT value FROM records WHERE key LIKE 'alerts:digest:day:%'").all() as Array<{
          value: string;
        }>;
        const succeeded = days
          .map(
            (d) =>
              (JSON.parse(d.value) as { counts: { actions?: { succeeded?: number } } }).counts.actions?.succeeded ?? 0,
          )
          .reduce((a, b) => a + b, 0);
        assert.equal(succeeded, 1, 'the cancel is counted for the digest');
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
