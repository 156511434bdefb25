// How long the bot keeps an accepted event's record (`event:{id}`), on the SQLite state port with a
// clock the test moves on: a finished event (delivered, undeliverable, or published to its category's
// channels) is kept for EVENT_RETENTION_MS, so a sender's retry of the same id within it is still
// answered "duplicate" and GET still answers; after it the periodic sweep deletes the record, so the
// state no longer grows by one record per event for ever. An event still queued, or under a send, is
// never deleted however old it is.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';
import { EVENT_RETENTION_MS } from '../../src/notifications/eventRetention';
import { connector, deliverySession, eventually, REQUEST, roleEvent, teamsError } from '../fixtures/deliverySession';

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
    const alerts = { rows: { owns: () => false, handle: async () => undefined }, publish: async () => undefined };
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
