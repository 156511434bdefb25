// A deleted channel's record expires 35 days after the deletion (channelDeletion.ts); its id then
// leaves the category indexes and the team's subscribed list at the next read, fan-out or listing,
// so "is anyone subscribed" checks and fan-outs stop reading it first and the lists stop growing.
// A subscribe writes the index before the channel record (subscriptions.ts, superset order), so
// an entry with no record may be a subscribe under way: interleaved with a prune step by step
// (a store that holds one call until released), the subscriber is kept.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DELETED_CHANNEL_TTL_MS } from '../../src/alerts/channelDeletion';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { channelKey, indexKey, teamKey } from '../../src/alerts/subscriptionRecords';
import type { IndexRecord, TeamRecord } from '../../src/alerts/subscriptionRecords';
import { Records } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { holdOnce } from '../fixtures/heldRecords';

const TEAM = '19:team-general@thread.tacv2';
const KEEP = { teamId: TEAM, channelId: '19:keep@thread.tacv2' };
const GONE = { teamId: TEAM, channelId: '19:gone@thread.tacv2' };
const NEW = { teamId: TEAM, channelId: '19:new@thread.tacv2' };
const owner = { userId: 'aad-owner', correlationId: 'corr-1' };
const DAY = 24 * 3_600_000;

describe('alerts: stale subscription entries pruned', () => {
  let dir: string;
  let state: SqliteState;
  let now = 1_700_000_000_000;
  beforeEach(() => {
    now = 1_700_000_000_000;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-prune-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => now });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const indexed = async (records: Records = state.records) =>
    ((await records.get<IndexRecord>(indexKey('roleRequests')))?.value.channels ?? []).map((c) => c.channelId);
  const subscribed = async () => (await state.records.get<TeamRecord>(teamKey(TEAM)))?.value.subscribed ?? [];

  it("a channel deleted for good leaves the indexes and the team's list once its record has expired", async () => {
    const subs = new AlertSubscriptions(state.records, () => now);
    const channels = [
      { id: KEEP.channelId, name: 'keep' },
      { id: GONE.channelId, name: 'gone' },
    ];
    await subs.setTeamChannels(TEAM, channels);
    for (const ref of [GONE, KEEP]) await subs.setCategory(ref, 'roleRequests', true, owner);
    await subs.setCategory(GONE, 'actions', true, owner);
    await subs.channelEvent(GONE.channelId, 'deleted', now);
    now += DELETED_CHANNEL_TTL_MS + DAY;
    assert.equal(await state.records.get(channelKey(GONE.channelId)), null, 'the record expired');
    assert.deepEqual(await indexed(), [GONE.channelId, KEEP.channelId], 'still indexed before any read');

    assert.deepEqual(
      (await subs.channelsFor('roleRequests')).map((c) => c.channelId),
      [KEEP.channelId],
    );
    assert.deepEqual(await indexed(), [KEEP.channelId], 'the fan-out pruned it');
    assert.equal(await subs.anySubscriber('actions'), false);
    assert.deepEqual((await state.records.get<IndexRecord>(indexKey('actions')))?.value.channels, []);
    assert.deepEqual(await subscribed(), [GONE.channelId, KEEP.channelId]);
    await subs.setTeamChannels(TEAM, [channels[0]!]);
    assert.deepEqual(await subscribed(), [KEEP.channelId], 'the next listing pruned the team list');
  });

  it('a prune between a subscribe writing the index and writing its record does not lose the subscriber', async () => {
    const held = holdOnce(state.records, 'create', channelKey(NEW.channelId));
    const subscriber = new AlertSubscriptions(held.records, () => now);
    const reader = new AlertSubscriptions(state.records, () => now);
    const subscribing = subscriber.setCategory(NEW, 'roleRequests', true, owner);
    await held.reached; // indexed, no record yet
    assert.deepEqual(await reader.channelsFor('roleRequests'), []);
    assert.deepEqual(await indexed(), [], 'the reader pruned the entry of a record not written yet');
    held.release();
    await subscribing;
    assert.deepEqual(
      (await reader.channelsFor('roleRequests')).map((c) => c.channelId),
      [NEW.channelId],
    );
    assert.deepEqual(await indexed(), [NEW.channelId]);
    assert.deepEqual(await subscribed(), [NEW.channelId]);
  });

  it('a prune that read the record absent and swaps after the subscribe finished loses its swap', async () => {
    const sub = holdOnce(state.records, 'create', channelKey(NEW.channelId));
    const prune = holdOnce(state.records, 'replace', indexKey('roleRequests'));
    const subscriber = new AlertSubscriptions(sub.records, () => now);
    const reader = new AlertSubscriptions(prune.records, () => now);
    const subscribing = subscriber.setCategory(NEW, 'roleRequests', true, owner);
    await sub.reached; // indexed, no record yet
    const reading = reader.channelsFor('roleRequests');
    await prune.reached; // the reader read the index, then the record absent, and is about to swap
    sub.release();
    await subscribing; // the record written
    prune.release();
    assert.deepEqual(await reading, [], 'read before the record was written');
    assert.deepEqual(await indexed(), [NEW.channelId], 'the subscriber is kept');
    assert.deepEqual(
      (await reader.channelsFor('roleRequests')).map((c) => c.channelId),
      [NEW.channelId],
    );
  });
});
