// A channel alert whose senders keep dying mid-send. The Bot Connector takes no idempotency key, so
// a process that dies after Teams accepted the card but before `delivered` was written leaves the
// delivery to be sent again by the next claim (at least once). Each such claim counts as an
// attempt; once the attempt budget is spent by holders that never answered, the delivery is
// dead-lettered without one more post, as the direct notifications' worker does: a card that
// crashes its sender (or a crash loop) must not be posted into the channel without end.

import { strict as assert } from 'node:assert';
import { AlertsInstance, alertsOnSqlite } from './alertsOnSqlite';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:ops@thread.tacv2';
const card = {
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [] } },
  summary: 's',
};

describe('alerts: a delivery whose holders died mid-send', () => {
  const w = alertsOnSqlite('govbot-alerts-dead-');

  async function subscribed(i: AlertsInstance): Promise<void> {
    await i.alerts.subscriptions.setTeamChannels(TEAM, [{ id: CHANNEL, name: 'Ops' }]);
    await i.alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 'tenant-1' },
    });
    await i.alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNEL }, 'workflowRuns', true, {
      userId: 'owner',
      correlationId: 'c',
    });
  }

  async function workDue(i: AlertsInstance): Promise<void> {
    const stop = new AbortController().signal;
    for (let row = await i.state.outbox.lease(30_000); row; row = await i.state.outbox.lease(30_000))
      await i.alerts.worker.handle(row, stop);
  }

  it('is dead-lettered without another post once the attempt budget is spent', async () => {
    const i = w.instance('instance-1', { maxAttempts: 3 });
    await subscribed(i);
    await i.alerts.store.publish({ eventId: 'run-1', category: 'workflowRuns', card });
    const deliveryId = `run-1:${CHANNEL}`;
    // The fan-out row plans the delivery; then three holders in turn claim it and die sending.
    const fanout = await i.state.outbox.lease(30_000);
    assert.ok(fanout);
    await i.alerts.worker.handle(fanout, new AbortController().signal);
    for (let n = 0; n < 3; n++) {
      const claim = await i.alerts.ledger.claim(deliveryId, `dead-${n}`, 60_000);
      assert.equal(claim.kind, 'claimed');
      w.clock += 60_001;
    }
    await workDue(i);
    assert.deepEqual(w.posted, [], 'no fourth post');
    const [report] = (await i.alerts.channels('run-1')) ?? [];
    assert.equal(report?.state, 'deadLetter');
    assert.match(String(report?.reason), /after 3 attempts \(last: no answer in time\)/);
    assert.equal(await i.state.outbox.size(), 0);
  });

  it('within the budget, the next claim still posts it', async () => {
    const i = w.instance('instance-1', { maxAttempts: 3 });
    await subscribed(i);
    await i.alerts.store.publish({ eventId: 'run-1', category: 'workflowRuns', card });
    const fanout = await i.state.outbox.lease(30_000);
    assert.ok(fanout);
    await i.alerts.worker.handle(fanout, new AbortController().signal);
    for (let n = 0; n < 2; n++) {
      await i.alerts.ledger.claim(`run-1:${CHANNEL}`, `dead-${n}`, 60_000);
      w.clock += 60_001;
    }
    await workDue(i);
    assert.deepEqual(w.posted, [CHANNEL]);
    assert.equal((await i.alerts.channels('run-1'))?.[0]?.state, 'delivered');
  });

  // Shutdown while the send waits for its moment under the shared limits: nothing was sent, so the
  // taking is given back uncounted. Counted, a few restarts of the instances (a deployment) during
  // such waits spent the budget, and the delivery was dead-lettered as if its senders had died
  // mid-send although the card was never posted.
  it('a wait for the send moment cut short by shutdown spends no attempt', async () => {
    const i = w.instance('instance-1', { maxAttempts: 2 });
    await subscribed(i);
    await i.alerts.store.publish({ eventId: 'run-1', category: 'workflowRuns', card });
    const deliveryId = `run-1:${CHANNEL}`;
    const fanout = await i.state.outbox.lease(30_000);
    assert.ok(fanout);
    await i.alerts.worker.handle(fanout, new AbortController().signal);
    const stopping = new AbortController();
    stopping.abort(new Error('shutdown'));
    for (let n = 0; n < 3; n++) {
      const row = await i.state.outbox.lease(30_000);
      assert.ok(row, 'the send row is there again');
      await i.alerts.worker.handle(row, stopping.signal);
      assert.deepEqual(w.posted, []);
      assert.equal((await i.alerts.ledger.get(deliveryId))?.attempts, 0, 'no attempt counted');
    }
    await workDue(i);
    assert.deepEqual(w.posted, [CHANNEL], 'posted by the next instance to run');
    assert.equal((await i.alerts.channels('run-1'))?.[0]?.state, 'delivered');
  });
});
