// Channel alerts posted through the real handler (TestAdapter, simulated tenant, SQLite): an action
// taken in a personal chat posted in two subscribed channels (or in none, and still counted by the
// digest), a refused action announced as refused, and a click on an alert in one channel editing
// its copy in the other channel and the item's card in an approver's personal chat.

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A, CH_B, FOREIGN_USER, GENERAL, UNREACHABLE_USER } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';

describe('channel alerts through the handler', () => {
  const session = channelAlertsSession();
  const { owner, member, auditLines, signedIn, install } = session;
  let a: AlertsRig;
  // The session's beforeEach, registered first, has made this test's rig by now.
  beforeEach(() => {
    ({ a } = session);
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
    assert.match(text, /Refused: nothing was changed/);
    assert.match(text, /They do not have the permission or role this needs\./);
    assert.match(text, /code NOT_PERMITTED/);
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

  it('never edits a copy reached through a reference of another organization', async () => {
    // A copy posted before the bot refused other tenants (src/bot/adapter.ts) is not edited either:
    // nothing of this organization's items is written into another organization's chat
    // (https://learn.microsoft.com/en-us/microsoftteams/platform/agents-in-teams/agent-tenancy).
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    const target = await a.announceRoleRequest('pim-ops-3');
    const [inA] = a.postsIn(CH_A);
    assert.ok(inA);
    await a.alerts.copies.add(target, {
      conversationId: `a:personal-${FOREIGN_USER}`,
      activityId: 'foreign-1',
      userId: FOREIGN_USER,
    });
    const megan = owner();
    await a.rig.signIn(megan);
    a.rig.updates.length = 0;
    const click = await a.clickInChannel(megan, CH_A, inA.activityId, target);
    assert.equal(click.invoke?.status, 200);
    await a.copies.idle();
    assert.equal(
      a.rig.updates.filter((u) => u.conversation?.id === `a:personal-${FOREIGN_USER}`).length,
      0,
      "no edit in the other organization's chat",
    );
    assert.ok(
      a.rig.logs.some((l) => l.event === 'alerts.copies.failed' && l.activityId === 'foreign-1'),
      'the copy left alone is logged',
    );
  });
});
