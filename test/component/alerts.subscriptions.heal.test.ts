// A subscribe writes the index, the channel record, then the index again (stalePruning.ts), so a
// prune that read the index before the record was written is undone. When that second write never
// comes (the store fails it, or the process dies right after the record write), the prune lands:
// the record says "subscribed" and no index names the channel. The periodic pass puts the entry
// back (subscriptionHealing.ts), so the channel hears the next alert without anyone acting.
// Deterministic: a store that holds the record write until a prune has run, then fails (or never
// answers) the next write.

import { strict as assert } from 'node:assert';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { channelKey, indexKey } from '../../src/alerts/subscriptionRecords';
import type { IndexRecord } from '../../src/alerts/subscriptionRecords';
import { Alerts } from '../../src/notifications/alertsSetup';
import { parseEvent } from '../../src/notifications/events';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { alertsOnSqlite } from './alertsOnSqlite';

const TEAM = '19:team-heal@thread.tacv2';
const NEW = { teamId: TEAM, channelId: '19:new@thread.tacv2' };
const owner = { userId: 'aad-owner', correlationId: 'corr-1' };
const card = { attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} }, summary: 's' };

type After = 'fails' | 'crashes';

/** `records` where the channel record's write waits until `release()`, and every write after it
 * fails (the store's error) or never answers (the process died). */
function brokenAfterRecord(records: Records, after: After) {
  let reached!: () => void;
  let release!: () => void;
  const reachedP = new Promise<void>((r) => (reached = r));
  const released = new Promise<void>((r) => (release = r));
  let written = false;
  const write = async <T>(key: string, op: () => Promise<T>): Promise<T> => {
    if (written) {
      if (after === 'fails') throw new StateUnavailableError('state store: the write failed');
      return new Promise<T>(() => undefined);
    }
    if (key !== channelKey(NEW.channelId)) return op();
    reached();
    await released;
    const result = await op();
    written = true;
    return result;
  };
  const wrapped: Records = {
    get: (k) => records.get(k),
    create: (k, v, e) => write(k, () => records.create(k, v, e)),
    replace: (k, v, ver, e) => write(k, () => records.replace(k, v, ver, e)),
    put: (k, v, e) => write(k, () => records.put(k, v, e)),
    delete: (k, ver) => write(k, () => records.delete(k, ver)),
  };
  return { records: wrapped, reached: reachedP, release };
}

describe('alerts: a subscriber whose index entry was lost is put back by the periodic pass', () => {
  const world = alertsOnSqlite('govbot-alerts-heal-');
  let state: SqliteState;
  let alerts: Alerts;

  beforeEach(async () => {
    world.clock = Date.UTC(2025, 5, 2, 1, 0, 0);
    ({ state, alerts } = world.instance('i1', { periodic: {} }));
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      channelId: 'msteams',
      bot: { id: '28:bot' },
      conversation: { id: TEAM, tenantId: 't' },
    });
    await alerts.subscriptions.setTeamChannels(TEAM, [{ id: NEW.channelId, name: 'new' }]);
  });

  const indexed = async () =>
    ((await state.records.get<IndexRecord>(indexKey('roleRequests')))?.value.channels ?? []).map((c) => c.channelId);

  async function announce(eventId: string): Promise<void> {
    const parsed = parseEvent({
      eventId,
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: '11111111-1111-4111-8111-111111111111',
      principalName: 'Adele Vance',
      roleName: 'Global Reader',
    });
    assert.ok(parsed.ok);
    await alerts.categoryEvents.publish(parsed.event, card);
    const stop = new AbortController().signal;
    for (let row = await state.outbox.lease(30_000); row; row = await state.outbox.lease(30_000)) {
      if (alerts.worker.owns(row)) await alerts.worker.handle(row, stop);
      else await state.outbox.complete(row);
    }
  }

  for (const after of ['fails', 'crashes'] as const) {
    it(`the subscribe's second write ${after === 'fails' ? 'failing' : 'never done (a crash)'}`, async () => {
      const broken = brokenAfterRecord(state.records, after);
      const subscribing = new AlertSubscriptions(broken.records, () => world.clock).setCategory(
        NEW,
        'roleRequests',
        true,
        owner,
      );
      const outcome = subscribing.then(
        () => 'done',
        (e: unknown) => e,
      );
      await broken.reached; // indexed, no record yet: a fan-out prunes the entry
      assert.deepEqual(await alerts.subscriptions.channelsFor('roleRequests'), []);
      assert.deepEqual(await indexed(), [], 'pruned');
      broken.release();
      // The change took effect with the record's write: a failure of the list write after it is
      // reported, not thrown (subscriptionChanges.ts), and the subscribe is done.
      if (after === 'fails') assert.equal(await outcome, 'done', 'the subscribe stands');
      else await new Promise((r) => setImmediate(r));
      assert.deepEqual((await alerts.subscriptions.get(NEW.channelId))?.categories, ['roleRequests']);
      assert.deepEqual(await indexed(), [], 'the record subscribes, no index names the channel');
      await announce('before-heal');
      assert.deepEqual(world.posted, [], 'the channel hears nothing');

      const result = await alerts.periodic!.run();
      assert.equal(result.healed, 1);
      assert.deepEqual(await indexed(), [NEW.channelId], 'the periodic pass put the entry back');
      assert.equal((await alerts.periodic!.run()).healed, 0, 'once');
      await announce('after-heal');
      assert.deepEqual(world.posted, [NEW.channelId], 'the next alert reaches the channel');
    });
  }
});
