// Channel alert settings through the real handler (TestAdapter, simulated tenant, SQLite): the bot
// added to a team, a channel subscribing and unsubscribing, a non-owner refused (by command, by the
// settings card and by its Action.Submit fallback), the bot removed from the team, a channel
// deleted. Who may change settings is the roster's userRole
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context) or
// the owners of the team's Microsoft 365 group (https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects);
// the team events are those of
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A, CH_B, GENERAL, TEAM, cardToggles } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { teamsEvent } from '../fixtures/teamsEvents';

describe('channel alerts through the handler', () => {
  const session = channelAlertsSession();
  const { owner, member, auditLines, install } = session;
  let a: AlertsRig;
  // The session's beforeEach, registered first, has made this test's rig by now.
  beforeEach(() => {
    ({ a } = session);
  });

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
    // The team's group does not list the member among its owners (Graph's read says so).
    assert.match(cardsOf(refused.sent), /You are not among the owners of this team's Microsoft 365 group/);
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
    const inPlace = await fromCard({ kind: 'alerts.settings', ...cardToggles(['roleRequests']) });
    assert.equal(inPlace.sent.length, 0);
    assert.match(cardsOf(a.rig.updates.filter((u) => u.id === 'settings-card-1')), /alerts\.save/);
    a.rig.failUpdates = true;
    const refusedUpdate = await fromCard({ kind: 'alerts.settings', ...cardToggles(['groupRequests']) });
    assert.match(cardsOf(refusedUpdate.sent), /alerts\.save/, 'the saver still sees what was saved');
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['groupRequests']);
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
    await a.rig.turn(a.inChannel(owner(), CH_B, teamsEvent('channelDeleted', a.place(CH_B))));
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
    assert.equal(await a.alerts.subscriptions.teamOf(CH_B), null);
  });
});
