// The bot's addition to a team handled twice: Teams stamps each conversationUpdate with the time it
// sent it (teamMemberAdded naming the bot:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
// and the same event may be handled again (a redelivery after a slow or failed answer, or a copy on
// a second instance: see alerts.channels.removalOrder). The team is noted again harmlessly, but its
// welcome and settings cards are posted once, not once per handling; a later addition (after a
// removal) is welcomed again.

import { strict as assert } from 'node:assert';
import { GENERAL } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';
import { teamsEvent } from '../fixtures/teamsEvents';

describe('channel alerts: the bot added, the same event handled twice', () => {
  const session = channelAlertsSession();
  const { owner } = session;
  const bot = { id: '28:bot', name: 'Governance Bot' };

  const botEvent = (kind: 'added' | 'removed', sent: Date) => {
    const { a } = session;
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

  it('posts the welcome and the settings card once for one addition handled twice', async () => {
    const first = await botEvent('added', at(0));
    assert.equal(first.sent.length, 2, 'the welcome and the settings card');
    const again = await botEvent('added', at(0));
    assert.deepEqual(again.sent, [], 'the same addition handled again posts nothing more');
  });

  it('welcomes a later addition, after a removal, again', async () => {
    assert.equal((await botEvent('added', at(0))).sent.length, 2);
    await botEvent('removed', at(1));
    assert.equal((await botEvent('added', at(2))).sent.length, 2, 'added back: welcomed again');
    assert.deepEqual((await botEvent('added', at(2))).sent, [], 'and once');
  });

  it('posts the welcome once when a copy of the addition comes while the first is still posting it', async () => {
    const { rig } = session.a;
    let open!: () => void;
    rig.sendGate = new Promise((resolve) => (open = resolve));
    const first = botEvent('added', at(0));
    for (let i = 0; i < 500 && rig.heldSends === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(rig.heldSends, 1, "the first handling's welcome is on its way to Teams");
    rig.sendGate = null;
    const copy = await botEvent('added', at(0));
    open();
    assert.equal((await first).sent.length, 2, 'the first handling posts the welcome and the settings card');
    assert.deepEqual(copy.sent, [], 'the copy posts nothing');
  });

  it('welcomes on a redelivery when the first handling could not post the welcome', async () => {
    session.a.rig.failSends = 1;
    await assert.rejects(botEvent('added', at(0)));
    assert.equal((await botEvent('added', at(0))).sent.length, 2, 'the redelivery posts it');
  });
});
