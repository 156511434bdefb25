// Channel alerts through the real handler (TestAdapter, simulated tenant, SQLite): the bot added to
// a team, a channel subscribing and unsubscribing, a non-owner refused, an action taken in a
// personal chat posted in two subscribed channels, a click in one channel editing the copy in the
// other, the bot removed from the team. Who may change settings is the roster's userRole
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context);
// the team events are those of
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { AlertsRig, CH_A, CH_B, GENERAL, TEAM, UNREACHABLE_USER } from './alertsRig';
import { Rig, cardsOf } from './botRig';

describe('channel alerts through the handler', () => {
  let dir: string;
  let a: AlertsRig;

  beforeEach(() => {
    dir = Rig.dir();
    a = new AlertsRig(dir);
  });
  afterEach(async () => {
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const owner = () => a.rig.user(0);
  const member = () => a.rig.user(1);
  const auditLines = (event: string) => a.rig.logs.filter((l) => l.event === event);

  /** Signs in (a warm-up click, itself an attempt the feed announces) and forgets those posts. */
  async function signedIn(user: ReturnType<typeof owner>): Promise<void> {
    await a.rig.signIn(user);
    await a.drain();
    a.posts.length = 0;
  }

  async function install(): Promise<void> {
    a.roles.set(owner().id, 'owner');
    await a.teamEvent(owner(), 'added');
  }

  it('added to a team: welcome and settings cards in that channel, and every channel of the team is known', async () => {
    a.roles.set(owner().id, 'owner');
    const { sent } = await a.teamEvent(owner(), 'added');
    assert.equal(sent.length, 2);
    assert.match(cardsOf([sent[0]!]), /Governance Bot is in the team Identity Operations/);
    assert.match(cardsOf([sent[1]!]), /alerts\.save/);
    assert.ok(
      sent.every((s) => s.summary),
      'every reply has a summary',
    );
    for (const id of [GENERAL, CH_A, CH_B]) assert.equal(await a.alerts.subscriptions.teamOf(id), TEAM);
    assert.ok(await a.alerts.channelReference(CH_B), 'a channel nobody spoke in is reachable');
  });

  it('an owner subscribes and unsubscribes a channel; each change is audited', async () => {
    await install();
    const on = await a.say(owner(), CH_A, 'alerts on actions-taken');
    assert.match(cardsOf(on.sent), /Actions taken through the bot: on in this channel/);
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
      [CH_A],
    );
    const shown = await a.say(owner(), CH_A, 'alerts');
    assert.match(cardsOf(shown.sent), /Alert settings/);

    const off = await a.say(owner(), CH_A, 'alerts off actions');
    assert.match(cardsOf(off.sent), /off in this channel/);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
    const audits = auditLines('alerts.subscription');
    assert.deepEqual(
      audits.map((l) => [l.channelId, l.category, l.on, l.changed, l.userId]),
      [
        [CH_A, 'actions', true, true, owner().aadObjectId],
        [CH_A, 'actions', false, true, owner().aadObjectId],
      ],
    );
  });

  it('a non-owner is refused with an explanation, by command and by the settings card; nothing changes', async () => {
    await install();
    const refused = await a.say(member(), CH_A, 'alerts on role-requests');
    assert.match(cardsOf(refused.sent), /Only the team's owners can change which alerts this channel receives/);
    assert.match(cardsOf(refused.sent), /You are a member of this team/);
    const saved = await a.rig.turn(
      a.inChannel(member(), CH_A, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'alerts.save', data: { roleRequests: 'true' } } },
      }),
    );
    // Universal Actions errors: HTTP 200, the error's own statusCode in the body.
    assert.equal(saved.invoke?.status, 200);
    assert.equal((saved.invoke?.body as { statusCode?: number } | undefined)?.statusCode, 400);
    assert.equal(await a.alerts.subscriptions.get(CH_A), null);
    assert.equal(auditLines('alerts.subscription').length, 0);
    assert.equal(auditLines('alerts.subscription.refused').length, 2);

    // The owner's Save applies the whole card: one audit line per setting that changed.
    const ok = await a.rig.turn(
      a.inChannel(owner(), CH_A, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: { type: 'Action.Execute', verb: 'alerts.save', data: { roleRequests: 'true', digest: 'true' } },
        },
      }),
    );
    assert.equal(ok.invoke?.status, 200);
    assert.deepEqual(await a.alerts.subscriptions.get(CH_A), {
      teamId: TEAM,
      channelId: CH_A,
      categories: ['roleRequests'],
      digest: true,
    });
    assert.equal(auditLines('alerts.subscription').length, 2);
  });

  // The Save button's fallback on clients without Universal Actions is Action.Submit: a message
  // whose value is the button's data with the inputs merged in
  // (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards#backward-compatibility).
  it("the settings card's Action.Submit fallback saves for an owner and is refused for a member", async () => {
    await install();
    const submit = (user: ReturnType<typeof owner>, value: Record<string, unknown>) =>
      a.rig.turn(a.inChannel(user, CH_A, { type: 'message', value }));
    const refused = await submit(member(), { kind: 'alerts.settings', roleRequests: 'true' });
    assert.match(cardsOf(refused.sent), /Only the team's owners can change which alerts this channel receives/);
    assert.equal(await a.alerts.subscriptions.get(CH_A), null);

    const saved = await submit(owner(), { kind: 'alerts.settings', roleRequests: 'true', actions: 'true' });
    assert.deepEqual(await a.alerts.subscriptions.get(CH_A), {
      teamId: TEAM,
      channelId: CH_A,
      categories: ['roleRequests', 'actions'],
      digest: false,
    });
    assert.match(cardsOf(saved.sent), /alerts\.save/, 'the answer is the settings card as now saved');
    assert.match(String(saved.sent[0]?.summary), /^Alert settings saved for /, 'its summary says it was saved');
    assert.equal(auditLines('alerts.subscription').length, 2);

    // From the card itself (Teams names it in replyToId): the card is replaced in place, and only
    // when Teams refuses that is the saved card sent as an answer instead.
    const fromCard = (value: Record<string, unknown>) =>
      a.rig.turn(a.inChannel(owner(), CH_A, { type: 'message', value, replyToId: 'settings-card-1' }));
    const inPlace = await fromCard({ kind: 'alerts.settings', roleRequests: 'true' });
    assert.equal(inPlace.sent.length, 0);
    assert.match(cardsOf(a.rig.updates.filter((u) => u.id === 'settings-card-1')), /alerts\.save/);
    a.rig.failUpdates = true;
    const refusedUpdate = await fromCard({ kind: 'alerts.settings', groupRequests: 'true' });
    assert.match(cardsOf(refusedUpdate.sent), /alerts\.save/, 'the saver still sees what was saved');
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['groupRequests']);
  });

  it('an action taken in a personal chat appears in both subscribed channels, marked with its outcome', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    await a.say(owner(), CH_B, 'alerts on actions');
    const megan = owner();
    await signedIn(megan);
    await a.rig.message(megan, `cancel role-request ${a.rig.seed.examples.roleRequestId}`);
    await a.drain();
    for (const ch of [CH_A, CH_B]) {
      const posts = a.postsIn(ch);
      assert.equal(posts.length, 1, `one alert in ${ch}`);
      const text = JSON.stringify(posts[0]!.card.attachment.content);
      assert.match(text, /Megan Bowen cancelled the role assignment request/);
      assert.match(text, /Succeeded/);
      assert.match(text, /a chat command/);
    }
    assert.equal(a.postsIn(GENERAL).length, 0, 'a channel that did not subscribe hears nothing');
    const audit = auditLines('governance.action').at(-1)!;
    const report = await a.alerts.channels(`action:${String(audit.correlationId)}`);
    assert.deepEqual(
      report?.map((r) => [r.channelId, r.state]),
      [
        [CH_A, 'delivered'],
        [CH_B, 'delivered'],
      ],
    );
  });

  it('with no channel subscribed to actions, an action stores no alert and queues nothing; the digest still counts it', async () => {
    await install();
    const megan = owner();
    await signedIn(megan);
    await a.rig.message(megan, `cancel role-request ${a.rig.seed.examples.roleRequestId}`);
    await a.alerts.actions.idle();
    const first = auditLines('governance.action').at(-1)!;
    assert.equal(await a.alerts.store.get(`action:${String(first.correlationId)}`), null, 'no alert stored');
    assert.equal(await a.rig.state.outbox.lease(30_000), null, 'no outbox row');
    const { day } = await a.alerts.digest.read(new Date().toISOString().slice(0, 10));
    assert.equal(day.counts.actions?.succeeded, 1, 'the digest counted the action');

    // A channel subscribes: the next action is announced there.
    await a.say(owner(), CH_A, 'alerts on actions');
    await a.rig.message(megan, `cancel group-request ${a.rig.seed.examples.groupRequestId}`);
    await a.drain();
    assert.equal(a.postsIn(CH_A).length, 1);
  });

  it('a refused action is announced as refused', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    const adele = a.rig.user(1); // lacks the PIM permission in the demo tenant
    await signedIn(adele);
    await a.rig.message(adele, `cancel role-request ${a.rig.seed.examples.roleRequestId}`);
    await a.drain();
    const text = JSON.stringify(a.postsIn(CH_A)[0]?.card.attachment.content);
    assert.match(text, /REFUSED: nothing was changed/);
    assert.match(text, /NOT_PERMITTED/);
  });

  it('an alert clicked in one channel updates its copy in the other channel', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    const target = await a.announceRoleRequest('pim-ops-1');
    const [inA] = a.postsIn(CH_A);
    const [inB] = a.postsIn(CH_B);
    assert.ok(inA && inB, 'the event reached both channels');

    const megan = owner();
    await a.rig.signIn(megan);
    a.rig.updates.length = 0;
    const click = await a.clickInChannel(megan, CH_A, inA.activityId, target);
    assert.equal(click.invoke?.status, 200);
    assert.match(JSON.stringify(click.invoke?.body), /Cancelled by Megan Bowen/);
    await a.copies.idle();
    const editedB = a.rig.updates.find((u) => u.id === inB.activityId);
    assert.ok(editedB, 'the copy in the other channel was edited');
    assert.equal(editedB.conversation?.id, CH_B);
    assert.match(cardsOf([editedB]), /Cancelled by Megan Bowen/);
    assert.equal(
      a.rig.updates.filter((u) => u.id === inA.activityId).length,
      1,
      'and the clicked copy once (by the click, not again as a copy)',
    );
    assert.equal(a.rig.writes().length, 1, 'one Graph write for both channels');
  });

  it("a click in a channel also edits the item's card in an approver's personal chat", async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    const target = await a.announceRoleRequest('pim-ops-2');
    const [inA] = a.postsIn(CH_A);
    assert.ok(inA);
    // The same item was also notified to Adele in her chat (the delivery worker records it so).
    // Edited from outside any turn: a proactive continuation in her chat, then updateActivity
    // (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages,
    // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
    // An activity id names a message within its conversation (updateActivity takes both), so the
    // copy here deliberately has the channel card's id.
    const adele = member();
    // A copy whose chat cannot be reached comes first: it must not keep Adele's stale.
    await a.alerts.copies.add(target, {
      conversationId: 'a:personal-unreachable',
      activityId: 'lost-1',
      userId: UNREACHABLE_USER,
    });
    await a.rig.postCard(adele, inA.activityId, target);
    await a.alerts.copies.add(target, {
      conversationId: a.rig.conversationOf(adele),
      activityId: inA.activityId,
      userId: adele.aadObjectId,
    });

    const megan = owner();
    await a.rig.signIn(megan);
    a.rig.updates.length = 0;
    const click = await a.clickInChannel(megan, CH_A, inA.activityId, target);
    assert.equal(click.invoke?.status, 200);
    await a.copies.idle();
    const personal = a.rig.updates.find(
      (u) => u.id === inA.activityId && u.conversation?.id === a.rig.conversationOf(adele),
    );
    assert.ok(personal, "the card in Adele's chat was edited");
    assert.equal(personal.conversation?.id, a.rig.conversationOf(adele));
    assert.match(cardsOf([personal]), /Cancelled by Megan Bowen/);
    assert.ok(
      a.rig.logs.some((l) => l.event === 'alerts.copies.failed' && l.activityId === 'lost-1'),
      'the unreachable copy is logged with the card it could not edit',
    );
  });

  it('removed from the team: every channel of the team stops hearing its categories', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    await a.teamEvent(owner(), 'removed');
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), []);
    assert.equal(await a.alerts.subscriptions.teamOf(CH_A), null);
    assert.equal(await a.alerts.channelReference(CH_A), null);
    const forgotten = auditLines('alerts.subscription').filter((l) => l.via === 'teamRemoved');
    assert.equal(forgotten.length, 2, 'each subscription that ended is audited');

    await a.rig.signIn(owner());
    await a.rig.message(owner(), `cancel role-request ${a.rig.seed.examples.roleRequestId}`);
    await a.drain();
    assert.equal(a.posts.length, 0, 'nothing is posted in the team any more');
  });

  it('a deleted channel is forgotten', async () => {
    await install();
    await a.say(owner(), CH_B, 'alerts on actions');
    await a.rig.turn(
      a.inChannel(owner(), CH_B, {
        type: 'conversationUpdate',
        channelData: {
          tenant: { id: a.rig.seed.tenantId },
          team: { id: TEAM, name: 'Identity Operations' },
          channel: { id: CH_B, name: 'Ops B' },
          eventType: 'channelDeleted',
        },
      }),
    );
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
    assert.equal(await a.alerts.subscriptions.teamOf(CH_B), null);
  });
});
