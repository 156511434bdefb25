// The alert worker over SQLite with an injected clock, between the wait for a send's slot under
// the shared limits and the send: a claim with too little time left after the wait, or a shutdown
// during the wait or just after it, posts nothing, spends no attempt and gives the slot back; the
// row is due again and the alert is posted once.

import { strict as assert } from 'node:assert';
import { CHANNELS, actor, alertsWorkerSession, card } from './alertsWorkerSession';

describe('alerts: the worker over the outbox, around the wait for a send’s slot', () => {
  const { w, posted, instance, subscribeAll, work } = alertsWorkerSession();

  it('a claim with too little time left after the wait for the slot gives the slot and the row back, and posts nothing', async () => {
    const i = instance('instance-1');
    await subscribeAll(i.alerts);
    for (const channelId of CHANNELS.slice(1)) await i.alerts.subscriptions.forgetChannel(channelId, actor);
    await i.alerts.store.publish({ eventId: 'run-3', category: 'workflowRuns', card });
    assert.equal(await work(i, 1), 1, 'the fan-out row');
    // The process is slow to wake for its slot: 45 s pass, more than the claim has left beyond a
    // send's deadline (the claim lasts 49 s: the longest wait, the send's 15 s and 30 s of margin).
    const { scheduler } = i.alerts;
    const reserve = scheduler.reserve.bind(scheduler);
    let slow = true;
    scheduler.reserve = async (tenantId, threadId) => {
      const at = await reserve(tenantId, threadId);
      if (slow) w.clock = at + 45_000;
      slow = false;
      return at;
    };
    assert.equal(await work(i, 1), 1, 'the send row');
    assert.deepEqual(posted, [], 'nothing posted on a claim about to end');
    assert.ok((await scheduler.peek('tenant-1', CHANNELS[0]!)) <= w.clock, 'the slot was given back');
    assert.deepEqual(
      (await i.alerts.channels('run-3'))?.map((r) => [r.state, r.attempts]),
      [['queued', 0]],
      'the delivery waits again, and the taking was no attempt',
    );
    assert.equal(await work(i), 1, 'the row is due again at once');
    assert.deepEqual(posted, [CHANNELS[0]]);
    assert.deepEqual(
      (await i.alerts.channels('run-3'))?.map((r) => [r.state, r.attempts]),
      [['delivered', 1]],
    );
  });

  it('a shutdown during the wait for the slot gives the slot back, posts nothing, and the next instance posts once', async () => {
    const i = instance('instance-1');
    await subscribeAll(i.alerts);
    for (const channelId of CHANNELS.slice(1)) await i.alerts.subscriptions.forgetChannel(channelId, actor);
    await i.alerts.store.publish({ eventId: 'run-4', category: 'workflowRuns', card });
    assert.equal(await work(i, 1), 1, 'the fan-out row');
    // The process is told to stop just as its moment is reserved: the reserved moment would
    // otherwise count against the thread's and the tenant's windows for a send never made.
    const { scheduler } = i.alerts;
    const reserve = scheduler.reserve.bind(scheduler);
    const release = scheduler.release.bind(scheduler);
    const stopping = new AbortController();
    const reserved: number[] = [];
    const released: number[] = [];
    scheduler.reserve = async (tenantId, threadId) => {
      const at = await reserve(tenantId, threadId);
      reserved.push(at);
      stopping.abort();
      return at;
    };
    scheduler.release = async (tenantId, threadId, at) => {
      released.push(at);
      await release(tenantId, threadId, at);
    };
    const row = await i.state.outbox.lease(30_000);
    assert.ok(row, 'the send row');
    await i.alerts.worker.handle(row, stopping.signal);
    assert.deepEqual(posted, [], 'nothing posted');
    assert.deepEqual(released, reserved, 'the reserved moment was given back');
    scheduler.reserve = reserve;
    assert.equal(await work(i), 1, 'the row is due again');
    assert.deepEqual(posted, [CHANNELS[0]], 'posted once');
  });

  it('a shutdown after the slot but before the send posts nothing, spends no attempt and gives the slot back', async () => {
    const i = instance('instance-1', undefined, 1);
    await subscribeAll(i.alerts);
    for (const channelId of CHANNELS.slice(1)) await i.alerts.subscriptions.forgetChannel(channelId, actor);
    await i.alerts.store.publish({ eventId: 'run-5', category: 'workflowRuns', card });
    assert.equal(await work(i, 1), 1, 'the fan-out row');
    // The stop comes while the claim's remaining time is read, after the slot was reserved: the
    // send is then refused before it starts (sendWithDeadline), so no card was posted and nothing
    // of this pass may count against the delivery's attempts or the thread's windows.
    const { scheduler, ledger } = i.alerts;
    const reserve = scheduler.reserve.bind(scheduler);
    const release = scheduler.release.bind(scheduler);
    const heldFor = ledger.heldFor.bind(ledger);
    const stopping = new AbortController();
    const reserved: number[] = [];
    const released: number[] = [];
    let deliveryId = '';
    scheduler.reserve = async (tenantId, threadId) => {
      const at = await reserve(tenantId, threadId);
      reserved.push(at);
      return at;
    };
    scheduler.release = async (tenantId, threadId, at) => {
      released.push(at);
      await release(tenantId, threadId, at);
    };
    ledger.heldFor = async (id, token) => {
      deliveryId = id;
      const left = await heldFor(id, token);
      stopping.abort(new Error('stopping'));
      return left;
    };
    const row = await i.state.outbox.lease(30_000);
    assert.ok(row, 'the send row');
    await i.alerts.worker.handle(row, stopping.signal);
    ledger.heldFor = heldFor;
    assert.deepEqual(posted, [], 'nothing posted');
    assert.equal((await ledger.get(deliveryId))?.attempts, 0, 'the send never made is no attempt');
    assert.deepEqual(released, reserved, 'the reserved moment was given back');
    // With one attempt allowed, the next instance still has it and posts the alert.
    assert.equal(await work(i), 1, 'the row is due again');
    assert.deepEqual(posted, [CHANNELS[0]], 'posted once');
  });
});
