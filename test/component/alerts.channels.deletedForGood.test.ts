// A channel deleted and never restored, through the real handler (TestAdapter, simulated tenant,
// SQLite, a clock the test moves). Teams tells the bot of a deletion and of a restore
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events)
// but of no end to the time a deleted channel can be restored: "the deleted channel can be restored
// within 30 days" (Microsoft Learn, Troubleshoot teams and channels; Microsoft's help "Delete or
// restore a channel in Microsoft Teams"). So the deleted channel's kept choices are forgotten a
// little after that window, and a restore within it still brings them back.

import { strict as assert } from 'node:assert';
import { Clock, systemClock } from '../../src/domain/clock';
import { CHANNEL_RESTORE_WINDOW_MS, DELETED_CHANNEL_TTL_MS } from '../../src/alerts/channelDeletion';
import { indexKey, teamKey } from '../../src/alerts/subscriptionRecords';
import type { IndexRecord, TeamRecord } from '../../src/alerts/subscriptionRecords';
import { teamsEvent } from '../fixtures/teamsEvents';
import { CH_A, CH_B, GENERAL, TEAM } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';

const DAY = 24 * 3_600_000;

describe('channel alerts: a channel deleted for good', () => {
  /** Real time moved on by `later`: the store, its expiry and the alerts all read it. */
  let later = 0;
  const clock: Clock = { now: () => Date.now() + later, sleep: systemClock.sleep };
  const session = channelAlertsSession({ clock, now: () => clock.now() });
  const { owner, install } = session;
  beforeEach(() => (later = 0));

  /** Teams tells the bot something happened to channel CH_B, sent at the clock's now. */
  const channelEvent = (eventType: string) => {
    const { a } = session;
    const timestamp = new Date(clock.now());
    return a.rig.turn(a.inChannel(owner(), CH_B, teamsEvent(eventType, a.place(CH_B), { timestamp })));
  };

  it('is forgotten a little after the time to restore it: not listed, not counted, its record gone', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_B, 'alerts on role-requests');
    await a.say(owner(), CH_A, 'alerts on actions');
    await channelEvent('channelDeleted');
    later = CHANNEL_RESTORE_WINDOW_MS;
    assert.match((await a.alerts.subscriptions.get(CH_B))?.suspended?.reason ?? '', /deleted/, 'kept while restorable');
    assert.ok(await a.alerts.subscriptions.anySubscriber('roleRequests'));

    later = DELETED_CHANNEL_TTL_MS + DAY;
    assert.equal(await a.alerts.subscriptions.get(CH_B), null, 'the deleted channel is forgotten');
    assert.deepEqual((await a.alerts.subscriptions.standing(CH_B)).suspended, null);
    assert.deepEqual(await a.alerts.subscriptions.channelsFor('roleRequests'), []);
    assert.equal(await a.alerts.subscriptions.anySubscriber('roleRequests'), false, 'nobody hears role requests');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('actions')).map((c) => c.channelId),
      [CH_A],
      'the team and its other channels are untouched',
    );
  });

  it('once forgotten, its id leaves the category index and the team list at the next fan-out and listing', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_B, 'alerts on role-requests');
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await channelEvent('channelDeleted');
    later = DELETED_CHANNEL_TTL_MS + DAY;
    const records = a.rig.state.records;
    const indexed = async () =>
      ((await records.get<IndexRecord>(indexKey('roleRequests')))?.value.channels ?? []).map((c) => c.channelId);
    assert.ok((await indexed()).includes(CH_B), 'indexed until a read finds its record gone');
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_A],
    );
    assert.deepEqual(await indexed(), [CH_A]);
    const team = await a.alerts.subscriptions.teamChannels(TEAM);
    await a.alerts.subscriptions.setTeamChannels(TEAM, team ?? []);
    const subscribed = (await records.get<TeamRecord>(teamKey(TEAM)))?.value.subscribed ?? [];
    assert.ok(!subscribed.includes(CH_B) && subscribed.includes(CH_A), subscribed.join());
  });

  it('restored within the window, it hears its choices again, and they no longer expire', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_B, 'alerts on role-requests');
    await channelEvent('channelDeleted');
    later = CHANNEL_RESTORE_WINDOW_MS - DAY;
    await channelEvent('channelRestored');
    assert.equal((await a.alerts.subscriptions.get(CH_B))?.suspended, undefined);
    later += DELETED_CHANNEL_TTL_MS * 2;
    assert.deepEqual(
      (await a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId),
      [CH_B],
    );
  });

  it('a channel suspended by its team archived, then deleted, is forgotten after the window too', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_B, 'alerts on role-requests');
    await a.rig.turn(a.inChannel(owner(), GENERAL, teamsEvent('teamArchived', a.place())));
    assert.match((await a.alerts.subscriptions.get(CH_B))?.suspended?.reason ?? '', /archived/);
    await channelEvent('channelDeleted');
    later = DELETED_CHANNEL_TTL_MS + DAY;
    assert.equal(await a.alerts.subscriptions.get(CH_B), null);
    assert.equal(await a.alerts.subscriptions.anySubscriber('roleRequests'), false);
  });
});
