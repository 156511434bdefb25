// A channel alert refused by Teams (403 or 404, which suspend the channel's subscription:
// alerts.channels.suspended.test.ts) whose post left before Teams said the bot is there: the bot
// added back to the team, or a turn from the channel. The refusal is older news and suspends
// nothing. The statuses:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// Through the real handler (TestAdapter, simulated tenant, SQLite).

import { strict as assert } from 'node:assert';
import { teamsError } from '../fixtures/deliverySession';
import { AlertsRig, CH_A } from './alertsRig';
import { REFUSED, refusedChannelSession } from './channelRefusals';

describe('channel alerts: a refusal of a post sent before Teams said the bot is there', () => {
  const { session, owner, auditLines, install, refuseIn, statesOf } = refusedChannelSession();
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  /** Teams holds its answer to the post in CH_A until `answer()`; `sent` resolves once that post
   * has left. Posts elsewhere, and every later one, go through. */
  function refuseLater(status: number) {
    let sent!: () => void;
    const left = new Promise<void>((r) => (sent = r));
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    a.sendImpl = async (reference, card) => {
      if (reference.conversation?.id !== CH_A) return a.record(reference, card);
      a.sendImpl = null; // later posts reach the channel
      sent();
      await answered;
      throw teamsError(status, undefined, REFUSED[status]);
    };
    return { left, answer };
  }

  // A refusal describes the channel as it was when its post left. When Teams has said since that
  // the bot is there (the bot-added event, after which the bot reads the team's channel list:
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
  // that is the newer truth: the refusal must not suspend the channel after it (nothing was
  // suspended yet for the listing to resume).
  it('a 403 for a post sent before the bot was added back to the team does not suspend the channel', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    const teams = refuseLater(403);
    const announcing = a.announceRoleRequest('ev-1');
    await teams.left;
    // While that post is under way, Teams tells the bot it was added to the team again: the
    // channel is listed, so the bot is there now. Only then does the post's 403 arrive.
    await a.teamEvent(owner(), 'added');
    teams.answer();
    await announcing;

    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'deadLetter' }, 'that alert itself is not posted');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_A],
      'Teams listed the channel after the refused post left: the channel hears its alerts again',
    );
    assert.deepEqual(auditLines('alerts.subscription.suspended'), []);
    await a.announceRoleRequest('ev-2');
    assert.deepEqual(await statesOf('ev-2'), { [CH_A]: 'delivered' });

    // A refusal of a post that left after that listing is news: it suspends.
    refuseIn(CH_A, 403);
    await a.announceRoleRequest('ev-3');
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), []);
    assert.deepEqual(
      auditLines('alerts.subscription.suspended').map((l) => l.channelId),
      [CH_A],
    );
  });

  it('a 404 for a post sent before someone saved the settings there does not suspend the channel', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    const teams = refuseLater(404);
    const announcing = a.announceRoleRequest('ev-1');
    await teams.left;
    // A turn from the channel while the post is under way: the bot is in the team and the
    // channel exists.
    await a.say(owner(), CH_A, 'alerts on actions');
    teams.answer();
    await announcing;

    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_A],
    );
    assert.deepEqual(auditLines('alerts.subscription.suspended'), []);
  });
});
