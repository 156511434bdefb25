// The bot's addition to a team handled twice: Teams stamps each conversationUpdate with the time it
// sent it (teamMemberAdded naming the bot:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
// and the same event may be handled again (a redelivery after a slow or failed answer, or a copy on
// a second instance: see alerts.channels.removalOrder). The team is noted again harmlessly, but its
// welcome and settings cards are posted once, not once per handling; a later addition (after a
// removal) is welcomed again.

import { strict as assert } from 'node:assert';
import { GENERAL, TEAM } from './alertsRig';
import { WELCOME_HOLD_MS } from '../../src/alerts/teamPresence';
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

// A handling that took the welcome and died before posting it (a crash, the instance stopped) gave
// nothing back: a later handling of the same addition posts it once the first's hold has passed,
// never while the first may still be posting, and never once it was posted.
describe('channel alerts: the welcome taken by a handling that died', () => {
  let clock = Date.now();
  const session = channelAlertsSession({ now: () => clock });
  const bot = { id: '28:bot', name: 'Governance Bot' };
  const sent = new Date(Date.now() - 60_000);

  const added = () => {
    const { a } = session;
    return a.rig.turn(
      a.inChannel(
        session.owner(),
        GENERAL,
        teamsEvent('teamMemberAdded', a.place(), { membersAdded: [bot], timestamp: sent }),
      ),
    );
  };

  beforeEach(() => (clock = Date.now()));

  it('posts it when the same addition is handled again after the hold has passed', async () => {
    const { a } = session;
    // What the dead handling left: the addition noted and its welcome taken, nothing posted.
    assert.equal(await a.alerts.reach.noteBot(TEAM, 'added', sent.getTime()), true);
    assert.equal(await a.alerts.reach.takeWelcome(TEAM, sent.getTime()), true);
    clock += WELCOME_HOLD_MS - 1_000;
    assert.deepEqual((await added()).sent, [], 'within the hold the first may still be posting it');
    clock += 2_000;
    assert.equal((await added()).sent.length, 2, 'the welcome and the settings card, posted now');
    clock += 2 * WELCOME_HOLD_MS;
    assert.deepEqual((await added()).sent, [], 'posted: never again');
  });

  it('posts it no more when a handling that outlived its hold gives it back after another posted it', async () => {
    const { a } = session;
    assert.equal(await a.alerts.reach.noteBot(TEAM, 'added', sent.getTime()), true);
    assert.equal(await a.alerts.reach.takeWelcome(TEAM, sent.getTime()), true, 'the slow handling');
    clock += WELCOME_HOLD_MS + 1_000;
    assert.equal((await added()).sent.length, 2, 'posted by the next handling');
    await a.alerts.reach.giveBackWelcome(TEAM, sent.getTime()); // the slow one's post failed at last
    clock += 2 * WELCOME_HOLD_MS;
    assert.deepEqual((await added()).sent, []);
  });

  it('never posts it when an instance of the earlier release took it (no hold recorded)', async () => {
    const { a } = session;
    const at = sent.getTime();
    await a.rig.state.records.put(`alerts:teamPresence:${TEAM}`, { addedAt: at, welcomedAt: at }, { ttlMs: 60_000 });
    clock += 2 * WELCOME_HOLD_MS;
    assert.deepEqual((await added()).sent, [], 'it may have posted it: not posted twice');
  });

  it('does not post it again after the hold when the first handling posted it', async () => {
    assert.equal((await added()).sent.length, 2);
    clock += 2 * WELCOME_HOLD_MS;
    assert.deepEqual((await added()).sent, []);
  });
});
