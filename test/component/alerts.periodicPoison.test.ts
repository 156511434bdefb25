// One item of the periodic pass whose work fails on every pass (a fault for that item, here a store
// read or write that throws for one key) holds up none of the others. Before, the pass stopped at
// it every period, in the same order each time: the channels after a channel whose digest failed
// never got theirs, a reminder that failed kept every digest back until it lapsed, and a team
// whose healing failed kept the rotation's cursor where it was, so no team after it was healed.
// The pass still fails (logged alerts.periodic.failed) and the item is tried again next period.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DIGEST_HOUR_UTC } from '../../src/alerts/periodic';
import { SubscriptionHealing } from '../../src/alerts/subscriptionHealing';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { indexKey, teamKey } from '../../src/alerts/subscriptionRecords';
import type { IndexRecord } from '../../src/alerts/subscriptionRecords';
import { parseEvent } from '../../src/notifications/events';
import { Records } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { alertsOnSqlite } from './alertsOnSqlite';

const TEAM = '19:team@thread.tacv2';
const CH_A = '19:ops-a@thread.tacv2';
const CH_B = '19:ops-b@thread.tacv2';
const actor = { userId: 'owner', correlationId: 'c' };
const card = { attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} }, summary: 's' };

/** Every call passed through, but `name(key)` rejects with a TypeError when `fails(key)`. */
function failing(records: Records, name: 'get' | 'create', fails: (key: string) => boolean): Records {
  return new Proxy(records, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop);
      if (typeof value !== 'function') return value;
      if (prop !== name) return value.bind(t);
      return (key: string, ...rest: unknown[]) =>
        fails(key)
          ? Promise.reject(new TypeError(`unexpected fault for ${key}`))
          : (value as (...a: unknown[]) => unknown).apply(t, [key, ...rest]);
    },
  });
}

describe('alerts: an item of the periodic pass that fails on every pass', () => {
  const world = alertsOnSqlite('govbot-alerts-periodic-poison-');

  it("a channel whose digest fails holds up no other channel's digest", async () => {
    let faulty = '';
    world.clock = Date.UTC(2025, 5, 2, 1, 0, 0);
    const { alerts } = world.instance('i1', {
      periodic: {},
      wrapRecords: (r) => failing(r, 'get', (key) => faulty !== '' && key === `alerts:digest:sent:${faulty}`),
    });
    for (const channelId of [CH_A, CH_B])
      await alerts.subscriptions.setDigest({ teamId: TEAM, channelId }, true, actor);
    world.clock = Date.UTC(2025, 5, 3, DIGEST_HOUR_UTC, 0, 1);
    const order = (await alerts.subscriptions.digestChannels()).map((c) => c.channelId);
    assert.equal(order.length, 2);
    // The first channel in the pass's order is the one that fails.
    faulty = `digest:2025-06-02:${order[0]}`;
    for (let pass = 0; pass < 2; pass++) await assert.rejects(alerts.periodic!.sendDigests(), /unexpected fault/);
    assert.ok(await alerts.store.get(`digest:2025-06-02:${order[1]}`), 'the other channel has its digest');
    assert.equal(await alerts.store.get(faulty), null);
  });

  it("a reminder that fails holds up neither the other reminders nor the day's digest", async () => {
    world.clock = Date.UTC(2025, 5, 2, 10, 0, 0);
    const { alerts } = world.instance('i1', {
      periodic: {},
      wrapRecords: (r) => failing(r, 'create', (key) => key.startsWith('alerts:alert:reminder:roleRequest:95c690fb')),
    });
    await alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CH_A }, 'approvals', true, actor);
    await alerts.subscriptions.setDigest({ teamId: TEAM, channelId: CH_A }, true, actor);
    for (const [eventId, requestId] of [
      ['e1', '95c690fb-3eb3-4942-a03f-4524aed6f31e'],
      ['e2', '05c690fb-3eb3-4942-a03f-4524aed6f31e'],
    ] as const) {
      const parsed = parseEvent(
        { eventId, kind: 'roleRequest', target: { category: 'roleRequests' }, requestId },
        world.clock,
      );
      assert.ok(parsed.ok);
      await alerts.categoryEvents.publish(parsed.event, card);
      world.clock += 60_000;
    }
    // 21.5 hours on: both PIM requests lapse within 4 hours, and the digest of 2 June is due.
    world.clock = Date.UTC(2025, 5, 3, 7, 30, 0);
    await assert.rejects(alerts.periodic!.run(), /unexpected fault/);
    assert.ok(await alerts.store.get('reminder:roleRequest:05c690fb-3eb3-4942-a03f-4524aed6f31e'), 'reminded');
    assert.ok(await alerts.store.get(`digest:2025-06-02:${CH_A}`), "the day's digest went out");
  });

  describe('healing', () => {
    let dir: string;
    let state: SqliteState;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-heal-poison-'));
      state = new SqliteState(path.join(dir, 'state.db'));
    });
    afterEach(async () => {
      await state.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a team whose healing fails does not keep the rotation from the teams after it', async () => {
      const teams = ['19:a@thread.tacv2', '19:b@thread.tacv2', '19:c@thread.tacv2'];
      const channelOf = (teamId: string) => teamId.replace('19:', '19:ch-');
      const subs = new AlertSubscriptions(state.records);
      for (const teamId of teams) {
        await subs.setTeamChannels(teamId, [{ id: channelOf(teamId), name: 'ch' }]);
        await subs.setCategory({ teamId, channelId: channelOf(teamId) }, 'workflowRuns', true, actor);
      }
      await state.records.put<IndexRecord>(indexKey('workflowRuns'), { channels: [] }, 'none');
      const records = failing(state.records, 'get', (key) => key === teamKey(teams[0]!));
      const healing = new SubscriptionHealing(records, async () => teams, 2);
      // Two teams a pass: the failing one and the next, then the third and (again) the failing one.
      await assert.rejects(healing.pass(), /unexpected fault/);
      await assert.rejects(healing.pass(), /unexpected fault/);
      const indexed = (await state.records.get<IndexRecord>(indexKey('workflowRuns')))?.value.channels ?? [];
      assert.deepEqual(
        indexed.map((c) => c.channelId),
        [channelOf(teams[1]!), channelOf(teams[2]!)],
        'the other two teams were healed',
      );
    });
  });
});
