// A channel deleted, then restored, through the real handler (TestAdapter, simulated tenant,
// SQLite). Teams can restore a deleted channel and tells the bot with the conversationUpdate event
// channelRestored, naming the channel by its same id:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#channel-restored
// So the deleted channel's choices are kept (nothing is posted there meanwhile) and apply again once
// it is restored, as for a deleted team that is restored.

import { strict as assert } from 'node:assert';
import { CH_A, CH_B, GENERAL, TEAM, TEAM_CHANNELS } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { teamsEvent } from '../fixtures/teamsEvents';

describe('channel alerts: a channel deleted, then restored', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;

  /** Teams tells the bot something happened to channel CH_B (the event comes in that team). */
  const channelEvent = (eventType: string, timestamp?: Date) => {
    const { a } = session;
    return a.rig.turn(a.inChannel(owner(), CH_B, teamsEvent(eventType, a.place(CH_B), timestamp ? { timestamp } : {})));
  };

  it('channelDeleted keeps the choices and posts nothing there; channelRestored makes them apply again', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on actions');

    await channelEvent('channelDeleted');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_A],
      'no fan-out includes the deleted channel',
    );
    const kept = await a.alerts.subscriptions.get(CH_B);
    assert.deepEqual(kept?.categories, ['roleRequests', 'actions'], 'the choices are kept');
    assert.match(kept?.suspended?.reason ?? '', /deleted/);
    await a.announceRoleRequest('deleted-1');
    assert.deepEqual(
      a.posts.map((p) => p.channelId),
      [CH_A],
      'nothing is posted in the deleted channel',
    );
    a.posts.length = 0;

    await channelEvent('channelRestored');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId).sort(),
      [CH_A, CH_B].sort(),
    );
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
      [CH_B],
    );
    assert.equal((await a.alerts.subscriptions.get(CH_B))?.suspended, undefined);
    assert.equal(await a.alerts.subscriptions.teamOf(CH_B), TEAM);
    const shown = await a.say(owner(), CH_B, 'alerts');
    assert.doesNotMatch(cardsOf(shown.sent), /suspended/);
    await a.announceRoleRequest('restored-1');
    assert.deepEqual(a.posts.map((p) => p.channelId).sort(), [CH_A, CH_B].sort());
  });

  it('the bot removed from the team after a channel was deleted: that channel is forgotten too', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_B, 'alerts on actions');
    await channelEvent('channelDeleted');
    await a.teamEvent(owner(), 'removed');
    assert.equal(await a.alerts.subscriptions.get(CH_B), null);
    const ended = session.auditLines('alerts.subscription').filter((l) => l.via === 'teamRemoved');
    assert.deepEqual(
      ended.map((l) => [l.channelId, l.category, l.on]),
      [[CH_B, 'actions', false]],
    );
  });

  it('a deletion Teams sent before a restore, handled only after it, suspends nothing', async () => {
    // Events may be handled out of order: by two instances, or after a redelivery.
    const { a } = session;
    await install();
    await a.say(owner(), CH_B, 'alerts on role-requests');
    const deletedAt = new Date(Date.now() - 60_000);
    await channelEvent('channelRestored', new Date(deletedAt.getTime() + 30_000));
    await channelEvent('channelDeleted', deletedAt);
    assert.equal((await a.alerts.subscriptions.get(CH_B))?.suspended, undefined, 'the older deletion is not applied');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_B],
    );
    // A later deletion still suspends: only older news is ignored.
    await channelEvent('channelDeleted', new Date());
    assert.match((await a.alerts.subscriptions.get(CH_B))?.suspended?.reason ?? '', /deleted/);
  });

  /** Teams tells the bot something happened to the whole team: in the General channel, no channel named. */
  const teamEvent = (eventType: string) => {
    const { a } = session;
    return a.rig.turn(a.inChannel(owner(), GENERAL, teamsEvent(eventType, a.place())));
  };

  it('a channel deleted while its team is archived stays suspended when the team is unarchived', async () => {
    // teamUnarchived brings back the channels the archiving suspended, not a channel Teams said was
    // deleted meanwhile (only channelRestored brings that one back; the same page lists both events).
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    await teamEvent('teamArchived');
    await channelEvent('channelDeleted');
    // Teams no longer lists the deleted channel.
    a.channelsImpl = async () => TEAM_CHANNELS.filter((c) => c.id !== CH_B).map((c) => ({ ...c }));
    await teamEvent('teamUnarchived');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_A],
      'the deleted channel is not posted in',
    );
    const kept = await a.alerts.subscriptions.get(CH_B);
    assert.deepEqual(kept?.categories, ['roleRequests'], 'its choices are kept');
    assert.match(kept?.suspended?.reason ?? '', /channel was deleted/);

    a.channelsImpl = null;
    await channelEvent('channelRestored');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId).sort(),
      [CH_A, CH_B].sort(),
      'restored, it hears its choices again',
    );
  });

  it('a restore Teams sent before a later deletion, handled only after it, resumes nothing', async () => {
    // Deleted, restored, deleted again; the restore's event reaches the bot last (another instance,
    // a redelivery): the channel is gone, and its alerts stay suspended.
    const { a } = session;
    await install();
    await a.say(owner(), CH_B, 'alerts on role-requests');
    const first = new Date(Date.now() - 60_000);
    await channelEvent('channelDeleted', first);
    await channelEvent('channelDeleted', new Date(first.getTime() + 40_000));
    await channelEvent('channelRestored', new Date(first.getTime() + 20_000));
    assert.match((await a.alerts.subscriptions.get(CH_B))?.suspended?.reason ?? '', /deleted/);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), []);
    // A restore sent after the last deletion still resumes it.
    await channelEvent('channelRestored', new Date());
    assert.equal((await a.alerts.subscriptions.get(CH_B))?.suspended, undefined);
  });
});
