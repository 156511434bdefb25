// The alert rows of the outbox, worked by the alert worker over SQLite with an injected clock: a
// restart in the middle of a fan-out (one instance dies holding a row, another takes over) loses
// nothing and repeats nothing, and a posted alert whose card binding could not be stored is bound
// on a later pass without being posted again. The wait for a send's slot:
// alerts.worker.slot.test.ts; Teams' 429: alerts.worker.throttled.test.ts.

import { strict as assert } from 'node:assert';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { CHANNELS, actor, alertsWorkerSession, card } from './alertsWorkerSession';

describe('alerts: the worker over the outbox, across a restart and a failed binding', () => {
  const { w, posted, instance, subscribeAll, work } = alertsWorkerSession();

  it('a restart in the middle of a fan-out loses nothing and repeats nothing', async () => {
    const first = instance('instance-1');
    await subscribeAll(first.alerts);
    await first.alerts.store.publish({ eventId: 'run-1', category: 'workflowRuns', card });
    // The fan-out row, then two of the four channel deliveries...
    assert.equal(await work(first, 3), 3);
    assert.equal(posted.length, 2);
    // ...and the process dies holding the next row's lease.
    const held = await first.state.outbox.lease(30_000);
    assert.ok(held, 'a delivery row was held when the process died');

    const second = instance('instance-2');
    // The fan-out is run again too (a duplicate fan-out row): it queues nothing already delivered.
    await second.alerts.store.enqueueFanout('run-1');
    await work(second);
    assert.equal(posted.length, 3, 'the held row waits for its lease to end');
    w.clock += 30_001;
    await work(second);
    assert.deepEqual([...posted].sort(), [...CHANNELS].sort(), 'every channel once');
    assert.equal(await second.state.outbox.size(), 0);
    const report = await second.alerts.channels('run-1');
    assert.deepEqual(
      report?.map((r) => r.state),
      ['delivered', 'delivered', 'delivered', 'delivered'],
    );
  });

  it('a posted alert whose binding could not be stored keeps its row, and a later pass binds it without posting again', async () => {
    let failures = 1;
    const failingOnce = (state: SqliteState): CardBindings => {
      const bindings = new CardBindings(state.records);
      const bind = bindings.bind.bind(bindings);
      bindings.bind = async (...args) => {
        if (failures-- > 0) throw new Error('state store: write failed (SQLITE_IOERR)');
        return bind(...args);
      };
      return bindings;
    };
    const i = instance('instance-1', undefined, undefined, failingOnce);
    await subscribeAll(i.alerts);
    for (const channelId of CHANNELS.slice(1)) await i.alerts.subscriptions.forgetChannel(channelId, actor);
    const item = {
      operation: 'cancelRoleRequest' as const,
      ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' },
    };
    await i.alerts.store.publish({ eventId: 'run-5', category: 'workflowRuns', card, item });
    assert.equal(await work(i, 2), 2, 'the fan-out row, then the send row');
    assert.deepEqual(posted, [CHANNELS[0]]);
    const bindings = new CardBindings(i.state.records);
    assert.equal(await bindings.itemsOf(CHANNELS[0]!, 'a1'), null, 'the binding failed');
    assert.equal(await work(i), 0, 'the row waits before binding again');
    w.clock += 5_001;
    assert.equal(await work(i), 1, 'the row comes back');
    assert.deepEqual(await bindings.itemsOf(CHANNELS[0]!, 'a1'), [item], 'the card is bound');
    assert.equal(await work(i), 0, 'and the row is done');
    assert.deepEqual(posted, [CHANNELS[0]], 'posted once');
  });
});
