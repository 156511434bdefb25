// The README's channel alerts, checked from the outside: `alerts on|off <category>` typed in a
// channel by a team owner and by a plain member, and an event sent to a category, delivered to the
// subscribed channel only. Teams here is a small connector of this file on loopback that answers the
// roster (userRole per member, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context)
// and the team's channel list, and records what the bot posts.
// README, "Channel alerts": "Only the team's owners or members of the group in
// `ALERTS_ADMIN_GROUP_ID` may change a channel's settings; anyone else gets an explanation." The
// roster's `owner` is taken with no Graph call; a plain member here has not signed in, so whether
// they own the team's group cannot be read: refused all the same.

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BotProcess, Who, World, cardText, message, post, startBot, startWorld, userOf } from './harness';

interface Seen {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

describe('README: channel alerts (black box)', function () {
  this.timeout(90_000);
  let world: World;
  let bot: BotProcess;
  let teams: http.Server;
  let serviceUrl = '';
  const seen: Seen[] = [];
  const TEAM = '19:readme-team@thread.tacv2';
  const SUBSCRIBED = '19:readme-subscribed@thread.tacv2';
  const QUIET = '19:readme-quiet@thread.tacv2';
  const roles = new Map<string, string>();

  before(async () => {
    world = await startWorld();
    teams = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
        const text = Buffer.concat(chunks).toString('utf8');
        seen.push({ method: req.method ?? '', path, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const member = /\/members\/(29:[^/]+)$/.exec(path);
        if (req.method === 'GET' && member) {
          const aad = member[1]!.slice(3);
          const user = world.seed.users.find((u) => u.id === aad);
          if (!user) return send(404, { error: { code: 'MemberNotFoundInConversation', message: 'no' } });
          return send(200, {
            id: member[1],
            name: user.displayName,
            aadObjectId: aad,
            userPrincipalName: user.userPrincipalName,
            tenantId: world.seed.tenantId,
            userRole: roles.get(aad) ?? 'user',
          });
        }
        if (req.method === 'GET' && /\/teams\/[^/]+\/conversations$/.test(path)) {
          return send(200, {
            conversations: [
              { id: TEAM, name: null },
              { id: SUBSCRIBED, name: 'Subscribed' },
              { id: QUIET, name: 'Quiet' },
            ],
          });
        }
        if (req.method === 'GET' && /\/teams\/[^/]+$/.test(path)) {
          return send(200, { id: TEAM, name: 'Readme team', aadGroupId: '00000000-0000-0000-0000-00000000beef' });
        }
        if (/\/activities(\/[^/]+)?$/.test(path) && (req.method === 'POST' || req.method === 'PUT')) {
          return send(req.method === 'PUT' ? 200 : 201, { id: `teams-${seen.length}` });
        }
        return send(404, { error: { code: 'NotFound', message: 'not simulated' } });
      });
    });
    await new Promise<void>((r) => teams.listen(0, '127.0.0.1', () => r()));
    serviceUrl = `http://localhost:${(teams.address() as AddressInfo).port}/`;
    bot = await startBot(world, world.botEnv());
  });

  after(async () => {
    await bot?.stop();
    teams?.closeAllConnections();
    await new Promise<void>((r) => (teams ? teams.close(() => r()) : r()));
    await world?.close();
  });

  /** A channel message of the team, @mentioning the bot, as Teams sends it. */
  async function say(who: Who, text: string, channel: string): Promise<string> {
    const base = message(world, who, text, 'channel', channel);
    const activity = { ...base, serviceUrl, channelData: { ...base.channelData, team: { id: TEAM } } };
    const mark = seen.length;
    const res = await post(world, bot, activity);
    assert.equal(res.status, 200, res.body);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const reply = seen
        .slice(mark)
        .find((c) => c.method === 'POST' && c.path.includes(`/conversations/${channel}/activities`));
      if (reply) return cardText({ activity: reply.body } as never);
      if (Date.now() > deadline) throw new Error(`no answer to "${text}"`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function announce(eventId: string): Promise<Record<string, unknown>> {
    const token = world.tenant.issueAppToken({
      audience: world.seed.app.clientId,
      roles: ['Notifications.Send'],
      host: new URL(world.tenantServer.url).host,
    });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const event = {
      eventId,
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: world.seed.examples.roleRequestId,
      principalName: 'Megan Bowen',
      roleName: 'Global Administrator',
    };
    const res = await fetch(`${bot.url}/api/notifications`, { method: 'POST', headers, body: JSON.stringify(event) });
    assert.equal(res.status, 202, await res.text());
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = (await (await fetch(`${bot.url}/api/notifications/${eventId}`, { headers })).json()) as Record<
        string,
        unknown
      >;
      if (status.state !== 'queued') return status;
      if (Date.now() > deadline) throw new Error(`${eventId} stayed queued`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Stops the bot as production stops it (BotProcess.drain: it finishes its turns and the sends under
   * way, and the work they started, first), then starts a new one on the same state. After it no
   * post of an alert accepted so far can still come: the moment to count them.
   */
  async function settle(): Promise<void> {
    await bot.drain();
    bot = await startBot(world, world.botEnv());
  }

  const postsTo = (channel: string, text: RegExp) =>
    seen.filter(
      (c) =>
        c.method === 'POST' &&
        c.path === `/v3/conversations/${channel}/activities` &&
        text.test(cardText({ activity: c.body } as never)),
    );

  it('a team owner turns a category on; a plain member is refused with an explanation; the alert reaches only the subscribed channel', async () => {
    const megan = userOf(world.seed, 0);
    const adele = userOf(world.seed, 1);
    roles.set(megan.aadObjectId, 'owner');
    assert.match(await say(megan, 'alerts on role-requests', SUBSCRIBED), /on in this channel/);
    assert.match(await say(adele, 'alerts on roles', QUIET), /Only the team's owners/);
    const lines = bot.lines();
    assert.ok(
      lines.some((l) => l.event === 'alerts.subscription' && l.channelId === SUBSCRIBED && l.on === true),
      'the change is logged',
    );
    assert.ok(
      lines.some((l) => l.event === 'alerts.subscription.refused' && l.channelId === QUIET),
      'the refusal is logged',
    );
    const status = await announce('readme-alert-1');
    assert.equal(status.state, 'delivered', JSON.stringify(status));
    assert.equal(postsTo(SUBSCRIBED, /Global Administrator/).length, 1, 'one new post in the subscribed channel');
    assert.equal(postsTo(QUIET, /Global Administrator/).length, 0, 'nothing in the channel that did not subscribe');
    const channels = status.channels as Array<{ channelId: string; state: string }>;
    assert.deepEqual(
      channels.map((c) => [c.channelId, c.state]),
      [[SUBSCRIBED, 'delivered']],
    );
    await settle();
    assert.equal(postsTo(SUBSCRIBED, /Global Administrator/).length, 1, 'still one post once the bot has stopped');
    assert.equal(
      postsTo(QUIET, /Global Administrator/).length,
      0,
      'still nothing in the other once the bot has stopped',
    );
  });

  it('after `alerts off`, an alert of that category reaches no channel and is undeliverable', async () => {
    const megan = userOf(world.seed, 0);
    roles.set(megan.aadObjectId, 'owner');
    assert.match(await say(megan, 'alerts off role-requests', SUBSCRIBED), /off/i);
    const status = await announce('readme-alert-2');
    assert.equal(status.state, 'undeliverable', JSON.stringify(status));
    assert.equal(postsTo(SUBSCRIBED, /Global Administrator/).length, 1, 'only the first alert was posted');
  });
});
