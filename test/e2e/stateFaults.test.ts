// The state store broken under a real bot process (issue 7 points 9 and 11): a damaged database
// is set aside and the bot starts; a store that cannot be opened at all never stops the process,
// and then the intake answers 503 with a generic message and a correlation id, /readyz says not
// ready, and a card click answers an honest error: never a 202, a 500 with internals or a "done"
// that was not stored.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pressedData } from '../fixtures/pressedData';
import { BotProcess, World, invoke, post, startBot, startWorld, userOf } from './harness';

describe('state store faults under a real bot', function () {
  this.timeout(90_000);
  let world: World;
  const bots: BotProcess[] = [];
  const dirs: string[] = [];

  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    for (const b of bots) await b.stop();
    await world?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const host = () => new URL(world.tenantServer.url).host;
  const appToken = () =>
    world.tenant.issueAppToken({ audience: world.seed.app.clientId, roles: ['Notifications.Send'], host: host() });
  const event = (eventId: string) => ({
    eventId,
    kind: 'roleRequest',
    target: { userId: userOf(world.seed, 0).aadObjectId },
    requestId: world.seed.examples.roleRequestId,
    principalName: 'Adele Vance',
    roleName: 'Global Administrator',
    duration: '8 hours',
  });
  async function intake(b: BotProcess, body: unknown) {
    const res = await fetch(`${b.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${appToken()}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }
  // Until the event's delivery has written its outcome: a record torn while the worker still
  // holds it would be written over by the worker's own next write (the row is not ours to race).
  async function settled(b: BotProcess, eventId: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${b.url}/api/notifications/${eventId}`, {
        headers: { authorization: `Bearer ${appToken()}` },
      });
      const state = res.status === 200 ? ((await res.json()) as { state?: string }).state : undefined;
      if (state && state !== 'queued') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`${eventId} was not settled in 10 s`);
  }
  function stateDir(): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-state-fault-'));
    dirs.push(d);
    return d;
  }

  it('a damaged state database is set aside: the bot starts, reports it in /readyz and accepts events', async () => {
    const dir = stateDir();
    fs.writeFileSync(path.join(dir, 'state.db'), 'garbage, not a database '.repeat(200));
    const bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: dir }));
    bots.push(bot);
    const ready = await fetch(`${bot.url}/readyz`);
    assert.equal(ready.status, 200);
    const body = (await ready.json()) as { quarantined: number };
    assert.ok(body.quarantined >= 1, 'the damaged file is reported');
    assert.ok(
      fs.readdirSync(dir).some((f) => f.startsWith('state.db.corrupt-')),
      'the damaged file is kept aside, not deleted',
    );
    assert.equal((await intake(bot, event('after-damage'))).status, 202);
    // Said once in the log at start too, for an operator who does not poll /readyz; no path in it.
    const said = bot.lines().filter((l) => l.event === 'state.quarantined');
    assert.equal(said.length, 1, bot.stdout());
    assert.match(String(said[0]!.msg), /state\.db\.corrupt-/);
    assert.ok(!bot.stdout().includes(dir), 'the log names no path');
  });

  it('a record found unreadable after start is logged when it is set aside, once, naming its key and not the path', async () => {
    const dir = stateDir();
    const bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: dir }));
    bots.push(bot);
    assert.equal((await intake(bot, event('torn-later'))).status, 202);
    await settled(bot, 'torn-later');
    // The event's record torn on disk while the bot runs (another program, a bad sector).
    const raw = new Database(path.join(dir, 'state.db'));
    raw.prepare("UPDATE records SET value = 'garbage {' WHERE key = 'event:torn-later'").run();
    raw.close();
    // The same event again: its record is read, found unreadable and set aside, and it is taken anew.
    assert.equal((await intake(bot, event('torn-later'))).status, 202);
    assert.equal((await intake(bot, event('torn-later'))).status, 202);
    const body = (await (await fetch(`${bot.url}/readyz`)).json()) as { quarantined: number };
    assert.equal(body.quarantined, 1);
    const said = bot.lines().filter((l) => l.event === 'state.quarantined');
    assert.equal(said.length, 1, bot.stdout());
    assert.deepEqual(
      { subject: said[0]!.subject, where: said[0]!.where, reason: said[0]!.reason, keptAs: said[0]!.keptAs },
      { subject: 'record', where: 'event:torn-later', reason: 'its value is not JSON', keptAs: 'the quarantine table' },
    );
    assert.equal(said[0]!.level, 'warn');
    assert.ok(!bot.stdout().includes(dir), 'the log names no path');
  });

  it('a store that cannot be opened: the bot still starts; intake 503 without internals; /readyz 503; a click gets an honest error', async () => {
    const dir = stateDir();
    // A directory where the database file should be: SQLite cannot open it, whoever runs the test.
    fs.mkdirSync(path.join(dir, 'state.db'));
    const bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: dir }));
    bots.push(bot);

    const ready = await fetch(`${bot.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.ok(!(await ready.text()).includes(dir), '/readyz names no path');

    const accepted = await intake(bot, event('while-broken'));
    assert.equal(accepted.status, 503, 'never a 202 for what was not stored');
    const answer = JSON.parse(accepted.text) as { error: string; correlationId: string };
    assert.ok(answer.correlationId, 'a correlation id to find the logged detail');
    assert.ok(!accepted.text.includes(dir) && !/SQLITE|EISDIR|at .*\.js/.test(accepted.text), accepted.text);

    const admin = userOf(world.seed, 0);
    const click = {
      ...invoke(world, admin, 'adaptiveCard/action', {
        action: {
          type: 'Action.Execute',
          verb: 'governance.act',
          data: pressedData({ operation: 'cancelRoleRequest', ids: { requestId: world.seed.examples.roleRequestId } }),
        },
        trigger: 'manual',
        authentication: {
          id: 'x',
          connectionName: '',
          token: world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId),
        },
      }),
      replyToId: 'card-1',
    };
    world.tenant.clearLog();
    const clicked = await post(world, bot, click);
    assert.ok(clicked.status < 500, `a click is answered, not failed (${clicked.status})`);
    assert.match(
      clicked.body,
      /try again|went wrong|could not/i,
      `the clicker is told it failed: ${clicked.body.slice(0, 400)}`,
    );
    assert.doesNotMatch(clicked.body, /Cancelled by/, 'no outcome that was not stored');
    assert.ok(!clicked.body.includes(dir), 'no path in the card');
    assert.equal(world.tenant.graphRequests().filter((r) => r.method === 'POST').length, 0, 'no Graph write');
  });
});
