// Channel subscriptions on the SQLite state store: subscribe, unsubscribe, the category index
// fan-out reads, the team's channels, forgetting a channel or a whole team, and the audit lines.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { SqliteState } from '../../src/state/sqlite';

const TEAM = '19:team-general@thread.tacv2';
const ALERTS = { teamId: TEAM, channelId: '19:alerts@thread.tacv2' };
const OPS = { teamId: TEAM, channelId: '19:ops@thread.tacv2' };
const OTHER = { teamId: '19:other-team@thread.tacv2', channelId: '19:elsewhere@thread.tacv2' };
const owner = { userId: 'aad-owner', correlationId: 'corr-1' };

describe('alerts: channel subscriptions', () => {
  let dir: string;
  let state: SqliteState;
  let subs: AlertSubscriptions;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    subs = new AlertSubscriptions(state.records, () => 1_700_000_000_000);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('subscribes and unsubscribes a channel, with one audit line per change', async () => {
    const { audit: on } = await subs.setCategory(ALERTS, 'roleRequests', true, owner);
    assert.deepEqual(on, {
      event: 'alerts.subscription',
      teamId: TEAM,
      channelId: ALERTS.channelId,
      category: 'roleRequests',
      on: true,
      userId: 'aad-owner',
      correlationId: 'corr-1',
      changed: true,
    });
    assert.equal((await subs.setCategory(ALERTS, 'roleRequests', true, owner)).audit.changed, false, 'already on');
    await subs.setCategory(OPS, 'roleRequests', true, owner);
    await subs.setCategory(OPS, 'actions', true, owner);
    assert.deepEqual(
      (await subs.channelsFor('roleRequests')).map((c) => c.channelId).sort(),
      [ALERTS.channelId, OPS.channelId].sort(),
    );
    assert.deepEqual(await subs.get(OPS.channelId), {
      teamId: TEAM,
      channelId: OPS.channelId,
      categories: ['roleRequests', 'actions'],
      digest: false,
    });

    const { audit: off } = await subs.setCategory(ALERTS, 'roleRequests', false, owner);
    assert.equal(off.on, false);
    assert.equal(off.changed, true);
    assert.deepEqual(
      (await subs.channelsFor('roleRequests')).map((c) => c.channelId),
      [OPS.channelId],
    );
    assert.deepEqual(await subs.channelsFor('groupRequests'), []);
  });

  it('saves a whole settings card, auditing only what changed, and keeps the digest index', async () => {
    await subs.setCategory(ALERTS, 'approvals', true, owner);
    const audits = await subs.replaceAll(ALERTS, ['approvals', 'workflowRuns'], true, owner);
    assert.deepEqual(audits.map((a) => `${a.category}:${a.on}`).sort(), ['digest:true', 'workflowRuns:true']);
    assert.deepEqual(await subs.channelsFor('digest'), [ALERTS]);
    await subs.replaceAll(ALERTS, [], false, owner);
    assert.deepEqual(await subs.channelsFor('digest'), []);
    assert.deepEqual(await subs.channelsFor('approvals'), []);
  });

  it('ignores an index entry whose channel record does not subscribe it (a crash between the two writes)', async () => {
    await subs.setCategory(ALERTS, 'taskCallouts', true, owner);
    // The index written, the channel record not: what a crash mid-subscribe leaves behind.
    await state.records.put(
      'alerts:category:taskCallouts',
      {
        channels: [ALERTS, { teamId: TEAM, channelId: '19:half@thread.tacv2' }],
      },
      'none',
    );
    assert.deepEqual(await subs.channelsFor('taskCallouts'), [ALERTS]);
  });

  it('knows the channels of a team and which team a channel is in', async () => {
    await subs.setTeamChannels(TEAM, [
      { id: ALERTS.channelId, name: 'Governance alerts' },
      { id: OPS.channelId, name: 'Ops' },
    ]);
    assert.deepEqual(
      (await subs.teamChannels(TEAM))?.map((c) => c.name),
      ['Governance alerts', 'Ops'],
    );
    assert.equal(await subs.teamOf(OPS.channelId), TEAM);
    assert.equal(await subs.teamOf('19:unknown@thread.tacv2'), null);
    assert.equal(await subs.teamChannels('19:nobody@thread.tacv2'), null);
  });

  it('stops every subscription of every channel when the bot is removed from the team', async () => {
    await subs.setTeamChannels(TEAM, [{ id: ALERTS.channelId, name: 'Governance alerts' }]);
    await subs.setCategory(ALERTS, 'roleRequests', true, owner);
    await subs.setCategory(ALERTS, 'actions', true, owner);
    await subs.setDigest(ALERTS, true, owner);
    // A channel subscribed but not (yet) in the recorded channel list is forgotten too.
    await subs.setCategory(OPS, 'actions', true, owner);
    await subs.setCategory(OTHER, 'actions', true, owner);

    const audits = await subs.forgetTeam(TEAM, { userId: null, correlationId: 'corr-remove' });
    assert.deepEqual(
      audits.map((a) => `${a.channelId}:${a.category}:${a.on}`).sort(),
      [
        `${ALERTS.channelId}:actions:false`,
        `${ALERTS.channelId}:digest:false`,
        `${ALERTS.channelId}:roleRequests:false`,
        `${OPS.channelId}:actions:false`,
      ].sort(),
    );
    assert.ok(audits.every((a) => a.userId === null && a.correlationId === 'corr-remove'));
    assert.deepEqual(await subs.channelsFor('actions'), [OTHER], 'the other team keeps its subscription');
    assert.deepEqual(await subs.channelsFor('roleRequests'), []);
    assert.deepEqual(await subs.channelsFor('digest'), []);
    assert.equal(await subs.get(ALERTS.channelId), null);
    assert.equal(await subs.teamChannels(TEAM), null);
    assert.equal(await subs.teamOf(ALERTS.channelId), null);
  });

  it('forgets a deleted channel, leaving its team and the other channels', async () => {
    await subs.setTeamChannels(TEAM, [
      { id: ALERTS.channelId, name: 'Governance alerts' },
      { id: OPS.channelId, name: 'Ops' },
    ]);
    await subs.setCategory(ALERTS, 'actions', true, owner);
    await subs.setCategory(OPS, 'actions', true, owner);
    const audits = await subs.forgetChannel(OPS.channelId, { userId: 'aad-owner', correlationId: 'c' });
    assert.deepEqual(
      audits.map((a) => a.category),
      ['actions'],
    );
    assert.deepEqual(await subs.channelsFor('actions'), [ALERTS]);
    assert.deepEqual(
      (await subs.teamChannels(TEAM))?.map((c) => c.id),
      [ALERTS.channelId],
    );
  });
});
