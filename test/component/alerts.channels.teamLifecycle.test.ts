// A team archived or deleted, then unarchived or restored, through the real handler (TestAdapter,
// simulated tenant, SQLite). Teams sends these as conversationUpdate events with eventType
// teamArchived, teamUnarchived, teamDeleted and teamRestored:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
// An archived team's channels are read-only and a deleted team can be restored (teamHardDeleted
// is the end): the channels' choices are kept but nothing is posted there meanwhile (the settings
// card says why), and they apply again when the team comes back.

import { strict as assert } from 'node:assert';
import { GENERAL, CH_A, CH_B, TEAM } from './alertsRig';
import { User } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { teamsEvent } from '../fixtures/teamsEvents';

describe('channel alerts: the team archived or deleted, then back', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;

  /** Teams tells the bot something happened to the whole team, in the General channel. */
  const teamEvent = (user: User, eventType: string, timestamp?: Date) => {
    const { a } = session;
    return a.rig.turn(a.inChannel(user, GENERAL, teamsEvent(eventType, a.place(), timestamp ? { timestamp } : {})));
  };

  async function subscribed(): Promise<void> {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    await a.say(owner(), CH_B, 'alerts on role-requests');
  }

  for (const [gone, back] of [
    ['teamArchived', 'teamUnarchived'],
    ['teamDeleted', 'teamRestored'],
  ] as const) {
    it(`${gone}: nothing is posted in the team's channels, their choices are kept; ${back}: they hear them again`, async () => {
      const { a } = session;
      await subscribed();
      await teamEvent(owner(), gone);
      assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), [], 'no fan-out includes the team');
      assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), []);
      const kept = await a.alerts.subscriptions.get(CH_A);
      assert.deepEqual(kept?.categories, ['actions'], 'the choices are kept');
      assert.match(kept?.suspended?.reason ?? '', gone === 'teamArchived' ? /archived/ : /deleted/);

      await a.announceRoleRequest(`${gone}-1`);
      assert.equal(a.posts.length, 0, 'nothing is posted in the team meanwhile');

      await teamEvent(owner(), back);
      assert.deepEqual(
        (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
        [CH_A],
      );
      assert.deepEqual(
        (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
        [CH_B],
      );
      assert.equal((await a.alerts.subscriptions.get(CH_A))?.suspended, undefined);
    });
  }
  for (const [gone, back] of [
    ['teamArchived', 'teamUnarchived'],
    ['teamDeleted', 'teamRestored'],
  ] as const) {
    it(`${back} resumes every channel the team event suspended, even when the channel list cannot be read then`, async () => {
      const { a } = session;
      await subscribed();
      await teamEvent(owner(), gone);
      // Teams does not answer the channel list right after the team comes back: the event itself
      // says the whole team is back, so its channels are not left waiting for the next listing.
      a.channelsImpl = async () => {
        throw new Error('Teams did not answer');
      };
      await teamEvent(owner(), back);
      assert.deepEqual(
        (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
        [CH_A],
      );
      assert.deepEqual(
        (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
        [CH_B],
      );
      assert.equal((await a.alerts.subscriptions.get(CH_B))?.suspended, undefined);
    });
  }
  it('a teamDeleted handled after the teamRestored that followed it suspends nothing', async () => {
    const { a } = session;
    await subscribed();
    // Teams stamps each activity when it sends it; two deliveries (two instances, a retry) may be
    // handled in either order. The team was deleted, then restored: it is in use.
    const deletedAt = new Date(Date.now() - 60_000);
    const restoredAt = new Date(Date.now() - 30_000);
    await teamEvent(owner(), 'teamRestored', restoredAt);
    await teamEvent(owner(), 'teamDeleted', deletedAt);
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
      [CH_A],
      'the older deletion is not applied over the restore',
    );
    assert.equal((await a.alerts.subscriptions.get(CH_B))?.suspended, undefined);
    // A later archiving still suspends: only older news is ignored.
    await teamEvent(owner(), 'teamArchived', new Date());
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
  });
});

describe('channel alerts: the team channel list unread', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;

  /** Teams' channel list is not answered from now on. */
  const listUnread = (): void => {
    session.a.channelsImpl = async () => {
      throw new Error('Teams did not answer');
    };
  };

  /** A channel event (which makes the bot read the team's list again) in the General conversation. */
  const channelRenamed = (channel: { id: string; name: string }) => {
    const { a } = session;
    return a.rig.turn(a.inChannel(owner(), GENERAL, teamsEvent('channelRenamed', { ...a.place(), channel })));
  };

  /** Channel A hears "actions", then Teams' refusal (`status`) suspends it. */
  async function refusedInA(status: number, reason: string): Promise<void> {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on actions');
    const seen = (await a.alerts.subscriptions.standing(CH_A)).confirmations;
    await a.alerts.subscriptions.suspend(CH_A, { status, reason, since: 1 }, seen);
    assert.ok((await a.alerts.subscriptions.get(CH_A))?.suspended, 'the refusal suspended the channel');
  }

  const teamChannelIds = async () =>
    ((await session.a.alerts.subscriptions.teamChannels(TEAM)) ?? []).map((c) => c.id).sort();

  // When Teams does not answer the list, what the bot knew of the team stands (plus the channel of
  // the turn), rather than being cut down to that one channel: the list is how removing the bot
  // from the team forgets every channel.
  it('keeps the channels it knew when the list cannot be read', async () => {
    await install();
    const known = await teamChannelIds();
    assert.ok(known.length > 1, 'the install listed the team');
    listUnread();
    await channelRenamed({ id: CH_A, name: 'Ops A' });
    assert.deepEqual(await teamChannelIds(), known);
  });

  // Only a channel list Teams answered shows the bot in a channel, and only that resumes a
  // subscription Teams' refusal suspended (channelSuspension.ts; the Bot Connector's 403 and 404:
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis).
  // The kept list is no news of the bot in any of its channels: a channel that refused the bot
  // stays suspended (the turn's own channel is the only one the turn shows).
  it('keeps a channel that refused the bot suspended when the list cannot be read', async () => {
    const { a } = session;
    await refusedInA(404, 'The channel was not found.');
    listUnread();
    await channelRenamed({ id: CH_B, name: 'Ops B' });
    assert.ok((await teamChannelIds()).includes(CH_A), 'the list was kept');
    assert.match((await a.alerts.subscriptions.get(CH_A))?.suspended?.reason ?? '', /not found/);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('actions'), []);
  });

  // The event of the turn is itself Teams' news of the bot in its channel (Teams sends a team's
  // channel events only to a bot in the team), so that channel resumes even when the list is unread.
  it('resumes the channel of the turn itself when the list cannot be read', async () => {
    const { a } = session;
    await refusedInA(403, 'The bot is not in the team.');
    listUnread();
    await channelRenamed({ id: CH_A, name: 'Ops A' });
    assert.equal((await a.alerts.subscriptions.get(CH_A))?.suspended, undefined);
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
      [CH_A],
    );
  });
});
