// The alert rows of the outbox, worked by the alert worker over SQLite with an injected clock: a
// restart in the middle of a fan-out (one instance dies holding a row, another takes over) loses
// nothing and repeats nothing; a 429 holds the thread until its Retry-After and the delivery is
// retried, and after the last attempt it is dead-lettered with the reason the status reports.
// Teams' 429 and Retry-After: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import { Alerts } from '../../src/notifications/alertsSetup';
import { SendCard } from '../../src/notifications/delivery';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { AlertsInstance, alertsOnSqlite } from './alertsOnSqlite';

const TEAM = '19:team@thread.tacv2';
const CHANNELS = Array.from({ length: 4 }, (_, i) => `19:ch${i}@thread.tacv2`);
const actor = { userId: 'owner', correlationId: 'c' };
const card = {
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } },
  summary: 's',
};

describe('alerts: the worker over the outbox', () => {
  const w = alertsOnSqlite('govbot-alerts-worker-');
  const { posted } = w;
  /** One bot instance: its own connection to the shared store. */
  const instance = (
    name: string,
    send?: SendCard,
    maxAttempts?: number,
    bindingsOf?: (state: SqliteState) => CardBindings,
  ): AlertsInstance =>
    w.instance(name, {
      ...(send ? { send } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
      ...(bindingsOf ? { bindingsOf } : {}),
    });

  async function subscribeAll(alerts: Alerts): Promise<void> {
    await alerts.subscriptions.setTeamChannels(
      TEAM,
      CHANNELS.map((id) => ({ id, name: id })),
    );
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 'tenant-1' },
    });
    for (const channelId of CHANNELS)
      await alerts.subscriptions.subscribe({ teamId: TEAM, channelId }, 'workflowRuns', actor);
  }

  async function work(i: { state: SqliteState; alerts: Alerts }, limit = Infinity): Promise<number> {
    const stop = new AbortController().signal;
    let n = 0;
    while (n < limit) {
      const row = await i.state.outbox.lease(30_000);
      if (!row) break;
      await i.alerts.worker.handle(row, stop);
      n++;
    }
    return n;
  }

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

  it('a 429 holds the thread until Retry-After; after the last attempt the delivery is dead-lettered with its reason', async () => {
    let calls = 0;
    const throttled: SendCard = async () => {
      calls++;
      throw Object.assign(new Error('Too many requests'), {
        statusCode: 429,
        response: { headers: { 'retry-after': '3' } },
      });
    };
    const i = instance('instance-1', throttled, 2);
    await subscribeAll(i.alerts);
    await i.alerts.subscriptions.forgetChannel(CHANNELS[1]!, actor);
    await i.alerts.subscriptions.forgetChannel(CHANNELS[2]!, actor);
    await i.alerts.subscriptions.forgetChannel(CHANNELS[3]!, actor);
    await i.alerts.store.publish({ eventId: 'run-2', category: 'workflowRuns', card });
    await work(i);
    assert.equal(calls, 1);
    assert.ok(
      (await i.alerts.scheduler.peek('tenant-1', CHANNELS[0]!)) >= w.clock + 3_000,
      'nothing is scheduled in the thread before Retry-After',
    );
    const waiting = await i.alerts.channels('run-2');
    assert.deepEqual(
      waiting?.map((r) => [r.state, r.attempts]),
      [['queued', 1]],
    );
    w.clock += 3_000;
    await work(i);
    assert.equal(calls, 2);
    const report = await i.alerts.channels('run-2');
    assert.equal(report?.[0]?.state, 'deadLetter');
    assert.match(report?.[0]?.reason ?? '', /did not accept the card after 2 attempts \(last: 429\)/);
    assert.equal(await i.state.outbox.size(), 0);
  });

  // Teams' retry guidance for 429: "Retry using Retry-After header to determine the wait time ...
  // if available. Otherwise, retry using exponential backoff with thread ID, if possible."
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
  it('a 429 without Retry-After holds the thread for the backoff, so the next alert there waits too', async () => {
    const sent: string[] = [];
    let throttle = true;
    const send: SendCard = async (reference) => {
      sent.push(reference.conversation?.id ?? '');
      if (throttle) {
        throttle = false;
        throw Object.assign(new Error('Too many requests'), { statusCode: 429, response: { headers: {} } });
      }
      return `a${sent.length}`;
    };
    // A backoff longer than the worker waits in process: the held rows wait in the outbox.
    const i = w.instance('instance-1', { send, backoffMs: 10_000 });
    await subscribeAll(i.alerts);
    for (const channelId of CHANNELS.slice(1)) await i.alerts.subscriptions.forgetChannel(channelId, actor);
    await i.alerts.store.publish({ eventId: 'run-6', category: 'workflowRuns', card });
    assert.equal(await work(i, 2), 2, 'the fan-out row, then the throttled send');
    assert.ok(
      (await i.alerts.scheduler.peek('tenant-1', CHANNELS[0]!)) >= w.clock + 10_000,
      'nothing is scheduled in the thread before the backoff has passed',
    );
    // Another alert for the same channel, queued meanwhile, is not sent into the throttle.
    await i.alerts.store.publish({ eventId: 'run-7', category: 'workflowRuns', card });
    await work(i);
    assert.deepEqual(sent, [CHANNELS[0]], 'one send only: the thread is held');
    w.clock += 10_000;
    await work(i);
    assert.deepEqual(sent, [CHANNELS[0], CHANNELS[0], CHANNELS[0]], 'both alerts go once the backoff has passed');
    assert.deepEqual(
      [...((await i.alerts.channels('run-6')) ?? []), ...((await i.alerts.channels('run-7')) ?? [])].map(
        (r) => r.state,
      ),
      ['delivered', 'delivered'],
    );
  });
});
