// The bot taken out of one channel is not the bot removed from the team. In a private or shared
// channel an app is added channel by channel, and Teams tells the bot it was removed from that one
// channel with a conversationUpdate whose eventType is channelMemberRemoved and whose
// membersRemoved names the bot ("Also fires when the app itself is added or removed"):
// https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/app-developer-guidance-shared-private-channel
// ("Handling Membership Changes in Bot Framework"). The bot is still installed in the team, so the
// team's other channels keep their alerts; only the removal from the team (teamMemberRemoved,
// installationUpdate remove, teamHardDeleted) forgets them:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { strict as assert } from 'node:assert';
import { CH_A, CH_B } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';
import { teamsEvent } from '../fixtures/teamsEvents';

describe('channel alerts: the bot removed from one channel, not from the team', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;

  it('channelMemberRemoved naming the bot forgets none of the team', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    await a.say(owner(), CH_B, 'alerts on role-requests');

    const bot = { id: '28:bot', name: 'Governance Bot' };
    await a.rig.turn(
      a.inChannel(owner(), CH_B, teamsEvent('channelMemberRemoved', a.place(CH_B), { membersRemoved: [bot] })),
    );

    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
      [CH_A],
      'the team’s other channel still hears its alerts',
    );
    assert.deepEqual(await a.alerts.subscriptions.get(CH_A).then((s) => s?.categories), ['actions']);
    assert.equal(session.auditLines('alerts.subscription').filter((l) => l.via === 'teamRemoved').length, 0);
  });

  it('teamMemberRemoved naming the bot still forgets every channel of the team', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    await a.teamEvent(owner(), 'removed');
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
  });
});
