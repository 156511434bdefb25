// A channel Teams refuses to post in. A 403 or a 404 from the Bot Connector on a channel alert means
// the bot cannot reach that channel any more (removed from the team, the app blocked, the channel
// deleted) and will not by itself: Teams' proactive messaging needs the bot installed where it posts
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages),
// and the Bot Framework answers 403 when the bot is not in the conversation's roster or is disabled,
// 404 when the conversation is not found
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis).
// So the delivery is dead-lettered and the channel's subscription is suspended with the reason:
// later alerts do not try it again, the `alerts` command shows why, and the channel's choices are
// kept for when the bot is added back to the team (Teams lists the channel again) or someone
// saves the settings there. Which refusals suspend: alerts.channels.refusalCodes.test.ts; a
// refusal older than the news that the bot is there: alerts.channels.staleRefusal.test.ts. Through
// the real handler (TestAdapter, simulated tenant, SQLite).

import { strict as assert } from 'node:assert';
import { itemCard } from '../../src/bot/replyCards';
import { parseEvent } from '../../src/notifications/events';
import { REQUEST } from '../fixtures/deliverySession';
import { AlertsRig, CH_A, CH_B, TEAM } from './alertsRig';
import { cardsOf } from './botRig';
import { refusedChannelSession } from './channelRefusals';

describe('channel alerts: a channel Teams refuses to post in', () => {
  const { session, owner, auditLines, install, refuseIn, statesOf } = refusedChannelSession();
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  it('a 403 suspends the subscription with its reason; the bot added back resumes it, choices kept', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    const tries = refuseIn(CH_A, 403);

    await a.announceRoleRequest('ev-1');
    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'deadLetter', [CH_B]: 'delivered' });
    const suspended = auditLines('alerts.subscription.suspended');
    assert.deepEqual(
      suspended.map((l) => [l.channelId, l.status]),
      [[CH_A, 403]],
      'the suspension is logged once, with the status',
    );

    // The next alert does not try the channel again.
    await a.announceRoleRequest('ev-2');
    assert.equal(tries.get(CH_A), 1, 'one refused try, not one per alert');
    assert.deepEqual(await statesOf('ev-2'), { [CH_B]: 'delivered' });
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_B],
    );

    // The channel's status command says so, and why (someone who can still reach the channel: the
    // bot answers turns there once it is back, before Teams tells it so).
    const shown = cardsOf((await a.say(owner(), CH_A, 'alerts')).sent);
    assert.match(shown, /suspended/i);
    assert.match(shown, /403/);
    assert.match(shown, /added back to the team/);

    // Teams tells the bot it was added to the team again: the channel is listed, so it hears its
    // categories again, as chosen before.
    a.sendImpl = null;
    await a.teamEvent(owner(), 'added');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId).sort(),
      [CH_A, CH_B].sort(),
    );
    await a.announceRoleRequest('ev-3');
    assert.deepEqual(await statesOf('ev-3'), { [CH_A]: 'delivered', [CH_B]: 'delivered' });
    assert.doesNotMatch(cardsOf((await a.say(owner(), CH_A, 'alerts')).sent), /suspended/i);
    assert.deepEqual(
      auditLines('alerts.subscription.resumed').map((l) => [l.channelId, l.via]),
      [[CH_A, 'teamChannels']],
    );
  });

  it('a 404 suspends it too; an owner saving the settings there resumes it', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    refuseIn(CH_A, 404);
    await a.announceRoleRequest('ev-1');
    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'deadLetter' });
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), []);
    assert.match(cardsOf((await a.say(owner(), CH_A, 'alerts')).sent), /404/);

    a.sendImpl = null;
    await a.say(owner(), CH_A, 'alerts on actions');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_A],
      'the earlier choice holds again',
    );
    await a.announceRoleRequest('ev-2');
    assert.deepEqual(await statesOf('ev-2'), { [CH_A]: 'delivered' });
  });

  it('a change the bot makes itself (no person, as the sandbox seed) keeps the channel suspended', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    refuseIn(CH_A, 404);
    await a.announceRoleRequest('ev-1');
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), []);
    a.sendImpl = null;
    const bot = { userId: null, correlationId: 'seed' };
    await a.alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CH_A }, 'actions', true, bot);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), [], 'still suspended');
    assert.ok((await a.alerts.subscriptions.get(CH_A))?.suspended, 'the suspension and its reason are kept');
  });

  it('alerts fanned out before the suspension are dead-lettered without trying Teams again, with its reason', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    const tries = refuseIn(CH_A, 403);
    // Both fanned out (one delivery each queued for the channel) before either is posted.
    for (const eventId of ['ev-1', 'ev-2']) {
      const parsed = parseEvent({
        eventId,
        kind: 'roleRequest',
        target: { category: 'roleRequests' },
        requestId: REQUEST,
      });
      assert.ok(parsed.ok);
      await a.alerts.categoryEvents.publish(parsed.event, itemCard(parsed.event.item, { text: 't', settled: false }));
    }
    await a.drain();
    assert.deepEqual(
      [await statesOf('ev-1'), await statesOf('ev-2')],
      [{ [CH_A]: 'deadLetter' }, { [CH_A]: 'deadLetter' }],
    );
    assert.equal(tries.get(CH_A), 1);
    // The second was never tried: its reason is the suspension's own (a 403 may mean the app was
    // blocked, not that the bot left the team or the channel is gone).
    const [queued] = (await a.alerts.channels('ev-2')) ?? [];
    assert.match(queued?.reason ?? '', /suspended/);
    assert.match(queued?.reason ?? '', /\(403 BotNotInConversationRoster\).*blocked/);
    assert.doesNotMatch(queued?.reason ?? '', /does not know this channel/);
  });
});
