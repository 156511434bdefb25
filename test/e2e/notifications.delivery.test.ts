// Notification delivery over real HTTP: idempotent, durable acceptance; a card with buttons to a
// user who installed the app (once per eventId), a custom task extension callout, a new thread in a
// channel; and events for a user or a team that never installed or removed the app undeliverable,
// with the reason.

import { strict as assert } from 'node:assert';
import { BotProcess, Who, World, message, post, userOf } from './harness';
import { notificationsSession } from './notificationsSession';

describe('notifications', function () {
  this.timeout(90_000);
  const session = notificationsSession();
  const { send, until, outboxEmptied, roleEvent, runEvent, install } = session;
  let world: World;
  let bot: BotProcess;
  let admin: Who;
  let adele: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, bot } = session);
    admin = userOf(world.seed, 0);
    adele = userOf(world.seed, 1);
  });

  it('says why an event is undeliverable when the recipient never installed the app', async () => {
    const r = await send(bot, roleEvent('no-install-1', adele.aadObjectId));
    assert.equal(r.status, 202);
    const s = await until(bot, 'no-install-1', 'undeliverable');
    assert.match(String(s.reason), /not installed/);
  });

  it('delivers a card with buttons to a user who installed the app, once per eventId', async () => {
    await install(admin);
    const first = await send(bot, roleEvent('deliver-1', admin.aadObjectId));
    const again = await send(bot, roleEvent('deliver-1', admin.aadObjectId));
    assert.equal(first.status, 202);
    assert.equal(again.status, 202);
    assert.equal(again.body.accepted, 'duplicate');
    const s = await until(bot, 'deliver-1', 'delivered');
    assert.ok(s.activityId, 'the delivered activity id is reported');
    // Not a pause: a second send (a retry, the duplicate's own row) would keep a row in the outbox.
    await outboxEmptied();
    const cards = world.calls.filter(
      (c) => c.method === 'POST' && JSON.stringify(c.activity).includes('Adele Vance requested Global Administrator'),
    );
    assert.equal(cards.length, 1, 'delivered once');
    const card = JSON.stringify(cards[0]!.activity);
    assert.match(card, /Action\.Execute/);
    assert.match(card, /"verb":"governance\.act"/);
    assert.match(card, /Action\.Submit/);
    assert.ok(typeof cards[0]!.activity.summary === 'string');
  });

  it('delivers a custom task extension callout (the real payload shape) with Approve and Reject', async () => {
    const e = world.seed.examples;
    const callout = {
      source: 'Lifecycle Workflows',
      type: 'lifecycleEvent',
      data: {
        '@odata.type': '#microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
        subject: { id: adele.aadObjectId, displayName: 'Adele Vance' },
        task: { id: e.taskId, displayName: 'Order a laptop' },
        taskProcessingResult: { id: e.taskProcessingResultId },
        workflow: { id: e.taskWorkflowId, displayName: 'Onboard new hires' },
        callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/microsoft.graph.identityGovernance.resume`,
      },
    };
    assert.equal(
      (await send(bot, { eventId: 'callout-1', kind: 'taskCallout', target: { userId: admin.aadObjectId }, callout }))
        .status,
      202,
    );
    await until(bot, 'callout-1', 'delivered');
    const call = world.calls.find((c) => JSON.stringify(c.activity).includes('Order a laptop for Adele Vance'));
    assert.ok(call);
    const text = JSON.stringify(call.activity);
    assert.match(text, /"title":"Approve"/);
    assert.match(text, /"title":"Reject"/);
  });

  it('posts a new thread to a channel where the bot was mentioned', async () => {
    const channelMsg = message(world, admin, 'help', 'channel', '19:ops-alerts@thread.tacv2');
    assert.equal((await post(world, bot, channelMsg)).status, 200);
    const r = await send(bot, runEvent('channel-1', '19:ops-alerts@thread.tacv2'));
    assert.equal(r.status, 202);
    const s = await until(bot, 'channel-1', 'delivered');
    assert.equal(s.conversationId, '19:ops-alerts@thread.tacv2');
    // Counted once nothing more can be sent for it (the outbox holds no row of it), not at once.
    await outboxEmptied();
    const posted = world.calls.filter(
      (c) =>
        c.conversationId === '19:ops-alerts@thread.tacv2' && JSON.stringify(c.activity).includes('Onboard new hires'),
    );
    assert.equal(posted.length, 1, JSON.stringify(world.calls.slice(-3).map((c) => [c.method, c.path])));
    assert.equal(posted[0]!.activityId, null, `a new thread, not a reply: ${posted[0]!.path}`);
  });

  it('forgets a user who removed the app: later events are undeliverable, with the reason', async () => {
    const patti = userOf(world.seed, 4);
    await install(patti);
    assert.equal((await send(bot, roleEvent('patti-1', patti.aadObjectId))).status, 202);
    await until(bot, 'patti-1', 'delivered');
    const removal = { ...message(world, patti, ''), type: 'installationUpdate', action: 'remove', text: undefined };
    assert.equal((await post(world, bot, removal)).status, 200);
    assert.equal((await send(bot, roleEvent('patti-2', patti.aadObjectId))).status, 202);
    const s = await until(bot, 'patti-2', 'undeliverable');
    assert.match(String(s.reason), /not installed/);
  });

  it('forgets the channels of a team the app was removed from', async () => {
    const channel = '19:team-ops@thread.tacv2';
    assert.equal((await post(world, bot, message(world, admin, 'help', 'channel', channel))).status, 200);
    assert.equal((await send(bot, runEvent('team-1', channel))).status, 202);
    await until(bot, 'team-1', 'delivered');
    // Removal from the team arrives in the team's General channel, not in the channel itself.
    const removal = {
      ...message(world, admin, '', 'channel', '19:general@thread.tacv2'),
      type: 'installationUpdate',
      action: 'remove',
      text: undefined,
      entities: [],
    };
    assert.equal((await post(world, bot, removal)).status, 200);
    assert.equal((await send(bot, runEvent('team-2', channel))).status, 202);
    const s = await until(bot, 'team-2', 'undeliverable');
    assert.match(String(s.reason), /not installed in the team/);
  });
});
