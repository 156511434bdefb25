// The periodic healing walks a slice of the known teams per pass and goes on where it stopped, so
// every team is walked within a bounded number of passes (subscriptionHealing.ts); a channel missing
// from its team's subscribed list is put back there too, and a team the bot left is not made again.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SubscriptionHealing } from '../../src/alerts/subscriptionHealing';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { indexKey, teamKey } from '../../src/alerts/subscriptionRecords';
import type { IndexRecord, TeamRecord } from '../../src/alerts/subscriptionRecords';
import { SqliteState } from '../../src/state/sqlite';

const owner = { userId: 'aad-owner', correlationId: 'corr-1' };
const teams = ['19:a@thread.tacv2', '19:b@thread.tacv2', '19:c@thread.tacv2'];
const channelOf = (teamId: string) => teamId.replace('19:', '19:ch-');

describe('alerts: periodic healing walks every known team in turn', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-heal-rot-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const indexed = async () =>
    ((await state.records.get<IndexRecord>(indexKey('workflowRuns')))?.value.channels ?? []).map((c) => c.channelId);

  it('two teams a pass, then the third; lost team-list entries come back', async () => {
    const subs = new AlertSubscriptions(state.records);
    for (const teamId of teams) {
      await subs.setTeamChannels(teamId, [{ id: channelOf(teamId), name: 'ch' }]);
      await subs.setCategory({ teamId, channelId: channelOf(teamId) }, 'workflowRuns', true, owner);
    }
    // Every entry lost (as a prune that landed after an interrupted subscribe leaves them).
    await state.records.put<IndexRecord>(indexKey('workflowRuns'), { channels: [] }, 'none');
    const team = (await state.records.get<TeamRecord>(teamKey(teams[0]!)))!.value;
    await state.records.put<TeamRecord>(teamKey(teams[0]!), { ...team, subscribed: [] }, 'none');

    const healing = new SubscriptionHealing(state.records, async () => teams, 2);
    assert.equal(await healing.pass(), 3, "two index entries and the first team's list");
    assert.deepEqual(await indexed(), [channelOf(teams[0]!), channelOf(teams[1]!)]);
    assert.deepEqual((await state.records.get<TeamRecord>(teamKey(teams[0]!)))?.value.subscribed, [
      channelOf(teams[0]!),
    ]);
    assert.equal(await healing.pass(), 1, 'the third team, where the last pass stopped');
    assert.deepEqual(await indexed(), teams.map(channelOf));
    assert.equal(await healing.pass(), 0);

    await state.records.delete(teamKey(teams[2]!));
    assert.equal(await healing.pass(), 0, 'a team with no record is skipped, not made again');
    assert.equal(await state.records.get(teamKey(teams[2]!)), null);
  });
});
