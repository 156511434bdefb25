// Fan-out to subscribed channels on the SQLite store: one delivery per channel with a stable id,
// a restart in the middle of a fan-out loses nothing and repeats nothing, and with a queue that
// does not de-duplicate (Azure Queue Storage) the delivery records still let each card go out once.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { actionAlertCard, actionEventId } from '../../src/alerts/actionFeed';
import { DeliveryLedger } from '../../src/alerts/deliveries';
import { Fanout, deliveryIdOf, planDeliveries } from '../../src/alerts/fanout';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { FANOUT_TTL_MS } from '../../src/notifications/eventRetention';
import { SqliteState } from '../../src/state/sqlite';

const TEAM = '19:team@thread.tacv2';
const channels = Array.from({ length: 5 }, (_, i) => ({ teamId: TEAM, channelId: `19:ch${i}@thread.tacv2` }));
const actor = { userId: 'aad-owner', correlationId: 'c' };

describe('alerts: fan-out to subscribed channels', () => {
  let dir: string;
  let state: SqliteState;
  let subs: AlertSubscriptions;
  let clock: number;

  beforeEach(async () => {
    clock = 1_700_000_000_000;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    subs = new AlertSubscriptions(state.records, () => clock);
    for (const c of channels) await subs.setCategory(c, 'roleRequests', true, actor);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fanout = (enqueue: (id: string) => Promise<void>) =>
    new Fanout({ records: state.records, channelsFor: (t) => subs.channelsFor(t), enqueue, now: () => clock });

  it('plans one delivery per distinct channel, id <eventId>:<channelId>', () => {
    const plan = planDeliveries({ eventId: 'evt-1', category: 'roleRequests' }, [
      channels[1]!,
      channels[0]!,
      channels[1]!,
    ]);
    assert.deepEqual(
      plan.map((d) => d.deliveryId),
      [deliveryIdOf('evt-1', channels[0]!.channelId), deliveryIdOf('evt-1', channels[1]!.channelId)],
    );
    assert.equal(plan[0]!.deliveryId, 'evt-1:19:ch0@thread.tacv2');
  });

  it('an action taken in a personal chat becomes one delivery in each channel subscribed to actions', async () => {
    await subs.setCategory(channels[0]!, 'actions', true, actor);
    await subs.setCategory(channels[3]!, 'actions', true, actor);
    const action = {
      actionId: 'corr-chat-1',
      operation: 'cancelGroupRequest' as const,
      ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' },
      actor: { name: 'Megan Bowen', id: 'aad-megan' },
      outcome: 'refused' as const,
      errorCode: 'NOT_PERMITTED' as const,
      graphRequestId: 'req-1',
      at: clock,
      via: 'chat' as const,
    };
    const queued: string[] = [];
    const plan = await fanout(async (id) => {
      queued.push(id);
    }).fanOut({ eventId: actionEventId(action), category: 'actions' });
    assert.deepEqual(queued, [
      `action:corr-chat-1:${channels[0]!.channelId}`,
      `action:corr-chat-1:${channels[3]!.channelId}`,
    ]);
    assert.deepEqual(
      plan.map((d) => d.channelId),
      [channels[0]!.channelId, channels[3]!.channelId],
    );
    assert.match(JSON.stringify(actionAlertCard(action).attachment.content), /Refused: nothing was changed/);
  });

  it('a restart in the middle of a fan-out loses nothing and repeats nothing (SQLite outbox)', async () => {
    let enqueued = 0;
    const crashing = fanout(async (id) => {
      if (enqueued === 2) throw new Error('the process died here');
      enqueued++;
      await state.outbox.enqueue(id, { eventId: id });
    });
    await assert.rejects(crashing.fanOut({ eventId: 'evt-1', category: 'roleRequests' }), /died/);
    assert.equal(await state.outbox.size(), 2);

    // Meanwhile a channel unsubscribes: the event keeps the channels it was planned for.
    await subs.setCategory(channels[4]!, 'roleRequests', false, actor);
    const restarted = fanout((id) => state.outbox.enqueue(id, { eventId: id }));
    const plan = await restarted.fanOut({ eventId: 'evt-1', category: 'roleRequests' });
    assert.equal(plan.length, 5);
    assert.equal(await state.outbox.size(), 5, 'every channel queued exactly once');

    // Deliver everything, then fan out once more: nothing is queued again.
    const ledger = new DeliveryLedger(state.records, () => clock);
    for (let lease = await state.outbox.lease(30_000); lease; lease = await state.outbox.lease(30_000)) {
      const claim = await ledger.claim(lease.id, 'worker-1', 60_000);
      assert.equal(claim.kind, 'claimed');
      await ledger.delivered(lease.id, { activityId: `act-${lease.id}`, conversationId: 'x' });
      assert.ok(await state.outbox.complete(lease));
    }
    await restarted.fanOut({ eventId: 'evt-1', category: 'roleRequests' });
    assert.equal(await state.outbox.size(), 0);
    const report = await restarted.report('evt-1');
    assert.deepEqual(
      report?.map((r) => r.state),
      ['delivered', 'delivered', 'delivered', 'delivered', 'delivered'],
    );
  });

  it('sends each card once even when the queue holds a delivery id twice (Azure Queue Storage)', async () => {
    const queue: string[] = [];
    const f = fanout(async (id) => {
      queue.push(id);
    });
    await f.fanOut({ eventId: 'evt-2', category: 'roleRequests' });
    await f.fanOut({ eventId: 'evt-2', category: 'roleRequests' }); // a second run after a restart
    assert.equal(queue.length, 10, 'the queue holds every id twice');

    const ledger = new DeliveryLedger(state.records, () => clock);
    const sent: string[] = [];
    // Two workers take the copies in turn.
    for (const [i, id] of queue.entries()) {
      const claim = await ledger.claim(id, `worker-${i % 2}`, 60_000);
      if (claim.kind !== 'claimed') continue;
      sent.push(id);
      await ledger.delivered(id, { activityId: `a${i}` });
    }
    assert.equal(sent.length, 5);
    assert.equal(new Set(sent).size, 5);
  });

  it('lets one worker send while the claim lasts; a retry waits for its due time; a dead letter is final', async () => {
    const f = fanout(async () => {});
    const [d] = await f.fanOut({ eventId: 'evt-3', category: 'roleRequests' });
    const ledger = new DeliveryLedger(state.records, () => clock);
    const id = d!.deliveryId;

    const first = await ledger.claim(id, 'a', 60_000);
    assert.ok(first.kind === 'claimed');
    assert.deepEqual(await ledger.claim(id, 'b', 60_000), { kind: 'later', retryAt: clock + 60_000 });
    assert.ok(await ledger.retryLater(id, first.token, clock + 5_000, 'Teams answered 429; Retry-After 5 s.'));
    assert.deepEqual(await ledger.claim(id, 'b', 60_000), { kind: 'later', retryAt: clock + 5_000 });
    clock += 5_000;
    const again = await ledger.claim(id, 'b', 60_000);
    assert.ok(again.kind === 'claimed');
    assert.equal(again.delivery.attempts, 2);
    assert.equal(await ledger.deadLetter(id, first.token, 'not mine any more'), false, 'a lost claim decides nothing');
    assert.ok(
      await ledger.deadLetter(id, again.token, 'Teams refused the conversation: the app may have been removed.'),
    );
    assert.deepEqual(await ledger.claim(id, 'c', 60_000), { kind: 'done' });
    const report = await f.report('evt-3');
    assert.deepEqual(
      report?.find((r) => r.channelId === d!.channelId),
      {
        teamId: TEAM,
        channelId: d!.channelId,
        state: 'deadLetter',
        attempts: 2,
        reason: 'Teams refused the conversation: the app may have been removed.',
      },
    );
    assert.equal(await f.report('never-seen'), null);
  });

  it('holds a claim by its taking, not by its instance: the same instance cannot take it twice, and only the taking settles it', async () => {
    const f = fanout(async () => {});
    const [d] = await f.fanOut({ eventId: 'evt-5', category: 'roleRequests' });
    const ledger = new DeliveryLedger(state.records, () => clock);
    const id = d!.deliveryId;
    const first = await ledger.claim(id, 'instance-1', 60_000);
    assert.ok(first.kind === 'claimed');
    // A second copy of the row, worked by another worker of the same instance, waits.
    assert.deepEqual(await ledger.claim(id, 'instance-1', 60_000), { kind: 'later', retryAt: clock + 60_000 });
    assert.equal(await ledger.retryLater(id, 'instance-1', clock, 'the instance is no proof'), false);
    assert.equal(await ledger.heldFor(id, 'instance-1'), 0);
    assert.equal(await ledger.heldFor(id, first.token), 60_000);
    // Given back unused: queued again at once, and the taking is not an attempt.
    assert.ok(await ledger.release(id, first.token));
    assert.equal(await ledger.release(id, first.token), false, 'given back once');
    assert.equal(await ledger.heldFor(id, first.token), 0);
    const next = await ledger.claim(id, 'instance-1', 60_000);
    assert.ok(next.kind === 'claimed');
    assert.notEqual(next.token, first.token);
    assert.equal(next.delivery.attempts, 1);
  });

  it('takes over a claim whose holder died (its claim expired)', async () => {
    const f = fanout(async () => {});
    const [d] = await f.fanOut({ eventId: 'evt-4', category: 'roleRequests' });
    const ledger = new DeliveryLedger(state.records, () => clock);
    assert.equal((await ledger.claim(d!.deliveryId, 'dead', 60_000)).kind, 'claimed');
    clock += 60_001;
    assert.equal((await ledger.claim(d!.deliveryId, 'alive', 60_000)).kind, 'claimed');
  });
  it('keeps a delivery record for FANOUT_TTL_MS after its last write (claim and outcome too), then the sweep deletes it', async () => {
    const f = fanout(async () => {});
    const plan = await f.fanOut({ eventId: 'evt-ttl', category: 'roleRequests' });
    const [sent, refused, held] = plan.map((d) => d.deliveryId) as [string, string, string];
    const ledger = new DeliveryLedger(state.records, () => clock);
    clock += 60 * 60_000;
    // Each write replaces the record: a retry, a delivery, a claim given back, a dead letter, and
    // a claim left held by an instance that died.
    const one = await ledger.claim(sent, 'i1', 60_000);
    assert.ok(one.kind === 'claimed');
    assert.ok(await ledger.retryLater(sent, one.token, clock, 'Teams answered 503; trying again.'));
    const two = await ledger.claim(sent, 'i1', 60_000);
    assert.ok(two.kind === 'claimed');
    await ledger.delivered(sent, { activityId: 'act-1', conversationId: 'x' });
    const three = await ledger.claim(refused, 'i1', 60_000);
    assert.ok(three.kind === 'claimed' && (await ledger.release(refused, three.token)));
    const four = await ledger.claim(refused, 'i1', 60_000);
    assert.ok(four.kind === 'claimed' && (await ledger.deadLetter(refused, four.token, 'Teams answered 403.')));
    assert.equal((await ledger.claim(held, 'dead', 60_000)).kind, 'claimed');

    // The plan and the deliveries never written again expire FANOUT_TTL_MS after their creation.
    clock += FANOUT_TTL_MS - 60 * 60_000 + 1;
    assert.equal(await state.sweepExpired(), 1 + plan.length - 3);
    for (const id of [sent, refused, held]) assert.notEqual(await ledger.get(id), null, `${id} is kept`);
    // The others as long after their last write.
    clock += 60 * 60_000;
    assert.equal(await state.sweepExpired(), 3, 'no write took the expiry away');
    for (const id of [sent, refused, held]) assert.equal(await ledger.get(id), null);
  });

  it('plans an event accepted again after its retention anew: every channel is queued again, once', async () => {
    const queued: string[] = [];
    const f = fanout(async (id) => {
      queued.push(id);
    });
    const before = '2026-01-01T10:00:00.000Z';
    const plan = await f.fanOut({ eventId: 'evt-again', category: 'roleRequests', acceptedAt: before });
    const ledger = new DeliveryLedger(state.records, () => clock);
    for (const d of plan) {
      const claim = await ledger.claim(d.deliveryId, 'i1', 60_000);
      assert.ok(claim.kind === 'claimed');
      await ledger.delivered(d.deliveryId, { activityId: `old-${d.channelId}` });
    }
    // A channel unsubscribes meanwhile: the new acceptance is planned for today's subscribers.
    await subs.setCategory(channels[4]!, 'roleRequests', false, actor);
    queued.length = 0;
    const after = '2026-03-01T10:00:00.000Z';
    assert.equal(await f.report('evt-again', { acceptedAt: after }), null, 'the old plan is not this event');
    const again = await f.fanOut({ eventId: 'evt-again', category: 'roleRequests', acceptedAt: after });
    assert.equal(again.length, 4);
    assert.deepEqual(
      queued,
      again.map((d) => d.deliveryId),
    );
    assert.deepEqual(
      (await f.report('evt-again', { acceptedAt: after }))?.map((r) => [r.state, r.attempts, r.activityId]),
      again.map(() => ['queued', 0, undefined]),
    );
    // Planned again (a restart, or a late row of the earlier acceptance): nothing is replaced.
    const sent = await ledger.claim(again[0]!.deliveryId, 'i1', 60_000);
    assert.ok(sent.kind === 'claimed');
    await ledger.delivered(again[0]!.deliveryId, { activityId: 'new-0' });
    queued.length = 0;
    await f.fanOut({ eventId: 'evt-again', category: 'roleRequests', acceptedAt: after });
    await f.fanOut({ eventId: 'evt-again', category: 'roleRequests', acceptedAt: before });
    assert.deepEqual(
      queued,
      [...again.slice(1), ...again.slice(1)].map((d) => d.deliveryId),
    );
    assert.equal((await f.report('evt-again'))?.[0]?.activityId, 'new-0');
    // Its event record gone (GET hands no record): a forgotten event reports nothing.
    assert.equal(await f.report('evt-again', null), null);
  });
});
