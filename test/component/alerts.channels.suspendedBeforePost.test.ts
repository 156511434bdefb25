// A channel suspended while one of its alerts is on its way: after the delivery's first check (the
// channel's standing, before the claim and the wait for its turn under Teams' rate limits) and
// before its post. Another instance's post there was just refused (403), or the team was archived
// meanwhile: the alert is not posted, dead-lettered with the suspension's reason as an alert the
// first check found suspended is, told by the same read of the channel's record just before the
// post that tells a category turned off (not logged as one). Through the real handler (TestAdapter,
// SQLite). Teams refuses a proactive post to a channel the bot can no longer reach with 403 or 404
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages),
// and tells a bot its team was archived with a teamArchived conversation update
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events).

import { strict as assert } from 'node:assert';
import { suspensionOf, teamEventSuspension } from '../../src/alerts/channelSuspension';
import { teamsEvent } from '../fixtures/teamsEvents';
import { AlertsRig, CH_A, CH_B, GENERAL } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';

describe('channel alerts: a channel suspended after its alert was checked, before the post', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;
  let a: AlertsRig;
  /** Run once, by the first check of CH_A's standing after it is set (the delivery's first check). */
  let between: ((seen: number) => Promise<void>) | null = null;
  let tries: string[] = [];
  beforeEach(() => {
    ({ a } = session);
    between = null;
    tries = [];
    const subscriptions = a.alerts.subscriptions;
    const standing = subscriptions.standing.bind(subscriptions);
    subscriptions.standing = async (channelId) => {
      const found = await standing(channelId);
      const run = channelId === CH_A ? between : null;
      if (run) {
        between = null;
        await run(found.confirmations);
      }
      return found;
    };
    a.sendImpl = async (reference, card) => {
      tries.push(reference.conversation?.id ?? '');
      return a.record(reference, card);
    };
  });

  const delivery = async (eventId: string, channelId: string) =>
    ((await a.alerts.channels(eventId)) ?? []).find((c) => c.channelId === channelId);
  const unsubscribedLines = () => a.rig.logs.filter((l) => l.event === 'alerts.delivery.unsubscribed');

  it("another instance's post refused (403) meanwhile: not posted, dead-lettered with its reason", async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    const refusal = suspensionOf({ status: 403, code: 'BotNotInConversationRoster' }, Date.now());
    // As channelRefused does on the instance whose post Teams refused, against what it saw.
    between = (seen) => a.alerts.subscriptions.suspend(CH_A, refusal, seen);

    await a.announceRoleRequest('ev-refused');
    assert.equal(between, null, "the suspension came after the delivery's first check");
    assert.deepEqual(tries, [CH_B], 'Teams is not asked to post in the suspended channel');
    assert.equal(a.postsIn(CH_A).length, 0);
    assert.equal(a.postsIn(CH_B).length, 1, 'posted in the channel not suspended');
    const dropped = await delivery('ev-refused', CH_A);
    assert.equal(dropped?.state, 'deadLetter');
    assert.equal(dropped?.reason, `Alerts to this channel are suspended. ${refusal.reason}`);
    assert.equal(unsubscribedLines().length, 0, 'the channel did not turn the category off');
    assert.equal(await a.rig.state.outbox.lease(30_000), null, 'its row completed, not retried');
    assert.equal(
      a.rig.logs.filter((l) => l.event === 'alerts.subscription.suspended').length,
      1,
      'suspended once, by the refusal',
    );
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['roleRequests'], 'its choices kept');
  });

  it('the team archived meanwhile: not posted, dead-lettered with the archiving as the reason', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    between = async () => {
      await a.rig.turn(a.inChannel(owner(), GENERAL, teamsEvent('teamArchived', a.place())));
    };

    await a.announceRoleRequest('ev-archived');
    assert.equal(between, null, "the archiving came after the delivery's first check");
    assert.deepEqual(tries, []);
    const dropped = await delivery('ev-archived', CH_A);
    assert.equal(dropped?.state, 'deadLetter');
    assert.equal(dropped?.reason, `Alerts to this channel are suspended. ${teamEventSuspension('archived', 0).reason}`);
    assert.equal(unsubscribedLines().length, 0);
  });
});
