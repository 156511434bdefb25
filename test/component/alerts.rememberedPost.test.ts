// The alert worker remembers a post whose `delivered` write failed (fanoutWorker.ts, through
// rememberedPosts.ts) and records it instead of posting on the row's next pass. A delivery id is
// `<eventId>:<channelId>`, and an event id accepted again after its retention (eventRetention.ts)
// is a new event with the same delivery ids: a post remembered for the first acceptance (its write
// had in fact been stored, and another instance completed its row) must not stand for the new one.
// A takeover that ended the claim and posted nothing does not make the remembered post another's.

import { strict as assert } from 'node:assert';
import type { CategoryId } from '../../src/alerts/categories';
import { deliveryIdOf } from '../../src/alerts/fanout';
import { Alerts } from '../../src/notifications/alertsSetup';
import { FANOUT_TTL_MS } from '../../src/notifications/eventRetention';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { AlertsInstance, alertsOnSqlite } from './alertsOnSqlite';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:ch0@thread.tacv2';
const actor = { userId: 'owner', correlationId: 'c' };
const card = {
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } },
  summary: 's',
};
const DAY_MS = 24 * 3_600_000;

describe('alerts: a post remembered because its delivery could not be written', () => {
  const w = alertsOnSqlite('govbot-remembered-post-');
  const { posted } = w;
  /** One instance on the shared file, posting as `name`; `wrap` may wrap its connection's records. */
  const instance = (name: string, wrap?: (r: Records) => Records): AlertsInstance =>
    w.instance(name, {
      send: async () => {
        posted.push(name);
        return `activity-${posted.length}`;
      },
      ...(wrap ? { wrapRecords: wrap } : {}),
    });

  /** The team's one channel, reachable, subscribed to `category`. */
  async function subscribeChannel(alerts: Alerts, category: CategoryId): Promise<void> {
    await alerts.subscriptions.setTeamChannels(TEAM, [{ id: CHANNEL, name: 'ops' }]);
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 'tenant-1' },
    });
    await alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNEL }, category, true, actor);
  }

  async function work(i: { state: SqliteState; alerts: Alerts }): Promise<void> {
    const stop = new AbortController().signal;
    for (;;) {
      const row = await i.state.outbox.lease(30_000);
      if (!row) return;
      await i.alerts.worker.handle(row, stop).catch(() => undefined); // the loop logs a rejection
    }
  }

  async function handleOne(i: { state: SqliteState; alerts: Alerts }, stop = new AbortController().signal) {
    const row = await i.state.outbox.lease(30_000);
    assert.ok(row, 'a row is due');
    await i.alerts.worker.handle(row, stop).catch(() => undefined);
  }

  it('is not the post of a later acceptance of the same event id: that one is posted, and GET reports it', async () => {
    // Instance A's first write of a `delivered` outcome is stored, then its answer is lost.
    let failOnce = true;
    const a = instance('A', (records) => ({
      get: (k) => records.get(k),
      create: (k, v, o) => records.create(k, v, o),
      put: (k, v, o) => records.put(k, v, o),
      delete: (k, v) => records.delete(k, v),
      replace: async (k, v, version, o) => {
        const written = await records.replace(k, v, version, o);
        const state = (v as { state?: string }).state;
        if (failOnce && k.startsWith('alerts:delivery:') && state === 'delivered') {
          failOnce = false;
          throw new Error('the store did not answer in time');
        }
        return written;
      },
    }));
    const b = instance('B');
    await subscribeChannel(a.alerts, 'roleRequests');

    const first = new Date(w.clock).toISOString();
    await a.alerts.store.publish({ eventId: 'ev-1', category: 'roleRequests', card, acceptedAt: first });
    await work(a); // the fan-out, then the post, whose `delivered` write fails to answer
    assert.deepEqual(posted, ['A']);
    // The row's lease runs out; instance B takes it, finds the delivery recorded, completes it.
    w.clock += 60_000;
    await work(b);
    assert.deepEqual(posted, ['A'], 'not posted twice');
    const id = deliveryIdOf('ev-1', CHANNEL);
    assert.equal((await a.alerts.ledger.get(id))?.activityId, 'activity-1');

    // The event record expired after its 30 days; the sender posts ev-1 again: a new event.
    w.clock += FANOUT_TTL_MS + DAY_MS;
    await a.state.sweepExpired();
    const again = new Date(w.clock).toISOString();
    await a.alerts.store.publish({ eventId: 'ev-1', category: 'roleRequests', card, acceptedAt: again });
    await work(a);

    assert.deepEqual(posted, ['A', 'A'], 'the new event is posted in its channel');
    const reported = await a.alerts.channels('ev-1', { acceptedAt: again });
    assert.deepEqual(
      reported?.map((c) => [c.state, c.activityId]),
      [['delivered', 'activity-2']],
      'GET reports the new post, not the first acceptance’s card',
    );
  });

  it('is recorded when its row comes back after a takeover that ended its claim and posted nothing, not posted again', async () => {
    const first = instance('instance-1');
    const second = instance('instance-2');
    await subscribeChannel(first.alerts, 'workflowRuns');
    await first.alerts.store.publish({ eventId: 'run-1', category: 'workflowRuns', card });
    await handleOne(first); // the fan-out row

    // The first instance posts; its write of `delivered` fails, so it remembers the post.
    const { ledger } = first.alerts;
    const delivered = ledger.delivered.bind(ledger);
    let failed = false;
    ledger.delivered = async (...args) => {
      if (failed) return delivered(...args);
      failed = true;
      throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
    };
    await handleOne(first);
    assert.deepEqual(posted, ['instance-1']);
    assert.deepEqual(
      (await first.alerts.channels('run-1'))?.map((r) => r.state),
      ['sending'],
    );

    // Its row's lease and its claim (49 s) run out; the second instance takes the row over, claims,
    // and stops during its wait for the slot: nothing posted, its claim ended.
    w.clock += 50_000;
    const stopping = new AbortController();
    stopping.abort();
    await handleOne(second, stopping.signal);
    assert.deepEqual(posted, ['instance-1'], 'the takeover posted nothing');

    // The row comes back to the first instance.
    w.clock += 1_000;
    await handleOne(first);

    assert.deepEqual(posted, ['instance-1'], 'the alert is in the channel once');
    const report = await first.alerts.channels('run-1');
    assert.deepEqual(
      report?.map((r) => [r.state, r.activityId]),
      [['delivered', 'activity-1']],
    );
  });
});
