// How long the bot keeps an accepted event's record (`event:{id}`), on the SQLite state port with a
// clock the test moves on: a finished event (delivered, undeliverable, or published to its category's
// channels) is kept for EVENT_RETENTION_MS, so a sender's retry of the same id within it is still
// answered "duplicate" and GET still answers; after it the periodic sweep deletes the record, so the
// state no longer grows by one record per event for ever. An event still queued, or under a send, is
// never deleted however old it is.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { deliveryIdOf } from '../../src/alerts/fanout';
import { itemCard } from '../../src/bot/replyCards';
import { Clock, systemClock } from '../../src/domain/clock';
import { parseEvent } from '../../src/notifications/events';
import { EVENT_RETENTION_MS, FANOUT_TTL_MS } from '../../src/notifications/eventRetention';
import { NotificationStore } from '../../src/notifications/store';
import { connector, deliverySession, eventually, REQUEST, roleEvent, teamsError } from '../fixtures/deliverySession';
import { AlertsRig, CH_A } from './alertsRig';
import { Rig } from './botRig';

const DAY_MS = 24 * 3_600_000;

describe('notification records: retention', () => {
  const session = deliverySession();
  const { instance } = session;

  /** Is the record still in the file at all? Read with the clock set back to the present, where
   * a row the sweep left would not count as expired. */
  async function storedAtAll(state: { records: { get: (key: string) => Promise<unknown> } }, eventId: string) {
    const moved = session.offset;
    session.offset = 0;
    try {
      return (await state.records.get(`event:${eventId}`)) !== null;
    } finally {
      session.offset = moved;
    }
  }

  it('keeps a delivered event for the retention (a retry is a duplicate), then the sweep deletes it', async () => {
    const { store, state, worker } = await instance(connector().send);
    assert.equal(await store.accept(roleEvent('ev-kept')), 'created');
    worker.start();
    await eventually(async () => (await store.get('ev-kept'))?.state === 'delivered', 'delivered');
    await worker.stop(100);

    // A retry just inside the retention: still the same event, still answered from its record.
    session.offset += EVENT_RETENTION_MS - 60_000;
    await state.sweepExpired();
    assert.equal(await storedAtAll(state, 'ev-kept'), true, 'nothing of it expired yet');
    assert.equal(await store.accept(roleEvent('ev-kept')), 'duplicate');
    assert.equal((await store.get('ev-kept'))?.state, 'delivered');
    assert.equal(await state.outbox.size(), 0, 'the retry queues nothing');

    // Past the retention the periodic sweep deletes it.
    session.offset += 2 * 60_000;
    await state.sweepExpired();
    assert.equal(await storedAtAll(state, 'ev-kept'), false, 'the record is gone from the file');
    assert.equal(await store.get('ev-kept'), null, 'GET answers 404 for it');
  });

  it('an undeliverable event expires the same way', async () => {
    const { store, state, worker } = await instance(connector([teamsError(400)]).send);
    await store.accept(roleEvent('ev-refused'));
    worker.start();
    await eventually(async () => (await store.get('ev-refused'))?.state === 'undeliverable', 'undeliverable');
    await worker.stop(100);
    session.offset += EVENT_RETENTION_MS + 60_000;
    await state.sweepExpired();
    assert.equal(await storedAtAll(state, 'ev-refused'), false);
  });

  it('a category event expires after its publication', async () => {
    const parsed = parseEvent({
      eventId: 'ev-cat',
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: REQUEST,
    });
    assert.ok(parsed.ok);
    const alerts = {
      rows: { owns: () => false, handle: async () => undefined, setAside: async () => undefined },
      publish: async () => undefined,
    };
    const { store, state, worker } = await instance(connector().send, { alerts });
    await store.accept(parsed.event);
    worker.start();
    await eventually(async () => (await store.get('ev-cat'))?.publishedAt !== undefined, 'published');
    await worker.stop(100);
    session.offset += EVENT_RETENTION_MS - 60_000;
    assert.equal(await store.accept(parsed.event), 'duplicate', 'a retry within the retention publishes nothing');
    session.offset += 2 * 60_000;
    await state.sweepExpired();
    assert.equal(await storedAtAll(state, 'ev-cat'), false);
  });

  it('never expires an event still queued or under a send, however old', async () => {
    // Teams keeps failing: the event stays queued (a Retry-After of an hour is being waited out).
    const { store, state, worker } = await instance(connector([teamsError(429, '3600')]).send);
    await store.accept(roleEvent('ev-waiting'));
    worker.start();
    await eventually(async () => (await store.get('ev-waiting'))?.attempts === 1, 'first attempt counted');
    await worker.stop(100);
    await store.accept(roleEvent('ev-never-taken'));
    // A send under way on another instance: a live claim on the record.
    await store.claim('ev-never-taken', 'holder-elsewhere', Date.now() + session.offset, 60_000);
    session.offset += 400 * DAY_MS;
    await state.sweepExpired();
    assert.equal(await storedAtAll(state, 'ev-waiting'), true);
    assert.equal(await storedAtAll(state, 'ev-never-taken'), true);
    assert.equal((await store.get('ev-waiting'))?.state, 'queued');
    assert.equal((await store.get('ev-never-taken'))?.state, 'queued');
    assert.equal(await store.accept(roleEvent('ev-waiting')), 'duplicate');
  });
});

// A category event's channel records (its stored alert, its fan-out plan, one delivery per
// channel) are kept at least as long as its event record, and each belongs to one acceptance of the
// event: the same eventId posted after its retention is a new event, posted in its channels again,
// and GET (which hands the alerts its event record) reports the new posts, never the old ones.
describe('notification records: retention of a category event', () => {
  let dir: string;
  let a: AlertsRig;
  let offset = 0;
  const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };

  beforeEach(() => {
    offset = 0;
    dir = Rig.dir();
    a = new AlertsRig(dir, { clock, now: () => clock.now() });
  });
  afterEach(async () => {
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function roleRequestToCategory(eventId: string) {
    const parsed = parseEvent({
      eventId,
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: a.rig.seed.examples.roleRequestId,
    });
    assert.ok(parsed.ok);
    return parsed.event;
  }

  /** What the delivery worker does with a category event's row (worker.ts): publish it with the
   * record's acceptedAt, mark the record published (which starts its retention); then the alert
   * rows are worked. */
  async function deliver(store: NotificationStore, eventId: string): Promise<void> {
    const record = await store.get(eventId);
    assert.ok(record);
    const card = itemCard(record.event.item, { text: record.event.text, settled: false });
    await a.alerts.categoryEvents.publish(record.event, card, record.acceptedAt);
    await store.published(eventId, 'holder', new Date(clock.now()));
    await a.drain();
  }

  /** What GET /api/notifications/{eventId} reports of the channels (routes.ts). */
  async function reported(store: NotificationStore, eventId: string) {
    return a.alerts.channels(eventId, await store.get(eventId));
  }

  it('posts the same eventId again after its retention, and GET reports the new post', async () => {
    const owner = a.rig.user(0);
    a.roles.set(owner.id, 'owner');
    await a.teamEvent(owner, 'added');
    await a.say(owner, CH_A, 'alerts on role-requests');
    const store = new NotificationStore(a.rig.state);

    assert.equal(await store.accept(roleRequestToCategory('ev-reused'), new Date(clock.now())), 'created');
    await deliver(store, 'ev-reused');
    assert.equal(a.postsIn(CH_A).length, 1, 'the first event is posted');
    const first = a.postsIn(CH_A)[0]!.activityId;

    // Until the event record goes, its channels are reported: they are kept at least as long.
    offset += EVENT_RETENTION_MS - 60_000;
    await a.rig.state.sweepExpired();
    assert.deepEqual(
      (await reported(store, 'ev-reused'))?.map((c) => [c.channelId, c.state, c.activityId]),
      [[CH_A, 'delivered', first]],
    );

    // Past the retention the sweep deletes the event record: GET answers 404 (nothing reported).
    offset += 2 * 60_000;
    await a.rig.state.sweepExpired();
    assert.equal(await store.get('ev-reused'), null, 'the record expired');
    assert.equal(await reported(store, 'ev-reused'), null, 'no channels of a forgotten event');

    // The sender posts the same eventId again: a new event, whose channels are not planned yet,
    // so GET reports its own record (queued), not the old post.
    assert.equal(await store.accept(roleRequestToCategory('ev-reused'), new Date(clock.now())), 'created');
    assert.equal(await reported(store, 'ev-reused'), null, 'the old post is not this event');

    await deliver(store, 'ev-reused');
    assert.equal(a.postsIn(CH_A).length, 2, 'the new event is posted in its channel');
    const second = a.postsIn(CH_A)[1]!.activityId;
    assert.notEqual(second, first);
    assert.deepEqual(
      (await reported(store, 'ev-reused'))?.map((c) => [c.channelId, c.state, c.attempts, c.activityId]),
      [[CH_A, 'delivered', 1, second]],
    );

    // A retry of the new event within its retention is a duplicate and posts nothing more.
    assert.equal(await store.accept(roleRequestToCategory('ev-reused'), new Date(clock.now())), 'duplicate');
    await a.drain();
    assert.equal(a.postsIn(CH_A).length, 2);

    // Its alert records expire in turn: nothing of the event is left for the sweep to keep.
    offset += FANOUT_TTL_MS + 60_000;
    await a.rig.state.sweepExpired();
    assert.equal(await a.alerts.store.get('ev-reused'), null, 'the stored alert expired');
    assert.equal(await a.alerts.channels('ev-reused'), null, 'the fan-out plan expired');
    assert.equal(await a.alerts.ledger.get(deliveryIdOf('ev-reused', CH_A)), null, 'the delivery expired');
  });
});
