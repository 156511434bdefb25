// The bot removed from a team and added back, the two events handled out of order. Teams stamps each
// conversationUpdate it sends with a `timestamp` (teamMemberAdded, teamMemberRemoved of the bot:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
// and two instances or a redelivery may handle two of them in either order. Like the team's
// archiving and return (teamSuspensions.ts), only the newer of the bot's removal and addition acts:
// a removal sent before an addition handled already forgets nothing (the bot is in the team again,
// and what was chosen there since stays), and an addition sent before a removal handled already
// remembers nothing (the bot is no longer there).

import { strict as assert } from 'node:assert';
import { CH_A, GENERAL, TEAM } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';
import { teamsEvent } from '../fixtures/teamsEvents';

describe('channel alerts: the bot removed and added back, the events handled out of order', () => {
  const session = channelAlertsSession();
  const { owner } = session;

  /** Teams tells the bot it was added to or removed from the team, in an event sent at `sent`. */
  const botEvent = (kind: 'added' | 'removed', sent: Date) => {
    const { a } = session;
    const bot = { id: '28:bot', name: 'Governance Bot' };
    a.roles.set(owner().id, 'owner');
    return a.rig.turn(
      a.inChannel(
        owner(),
        GENERAL,
        teamsEvent(kind === 'added' ? 'teamMemberAdded' : 'teamMemberRemoved', a.place(), {
          ...(kind === 'added' ? { membersAdded: [bot] } : { membersRemoved: [bot] }),
          timestamp: sent,
        }),
      ),
    );
  };

  const base = Date.now() - 10 * 60_000;
  const at = (minutes: number) => new Date(base + minutes * 60_000);

  it('a removal sent before the addition that followed it, handled after it, forgets nothing', async () => {
    const { a } = session;
    await botEvent('added', at(0));
    // Removed at minute 1 and added back at minute 2; the addition is handled first.
    await botEvent('added', at(2));
    await a.say(owner(), CH_A, 'alerts on actions');
    await botEvent('removed', at(1));

    assert.deepEqual(await a.alerts.reach.knownTeams(), [TEAM], 'the team is still known');
    assert.ok(await a.alerts.reach.teamReference(TEAM), 'its reference is kept');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
      [CH_A],
      'the choice made since the bot came back stands',
    );
    // A removal sent later still forgets the team: only older news is ignored.
    await botEvent('removed', at(3));
    assert.deepEqual(await a.alerts.reach.knownTeams(), []);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
  });

  it('an addition sent before a removal handled already remembers nothing', async () => {
    const { a } = session;
    await botEvent('added', at(0));
    // Added back at minute 1 and removed again at minute 2; the removal is handled first.
    await botEvent('removed', at(2));
    const { sent } = await botEvent('added', at(1));
    assert.deepEqual(await a.alerts.reach.knownTeams(), [], 'the team stays forgotten');
    assert.equal(await a.alerts.reach.teamReference(TEAM), null);
    assert.equal(await a.alerts.subscriptions.teamChannels(TEAM), null);
    assert.deepEqual(sent, [], 'no welcome in a team the bot has left');
  });
});
