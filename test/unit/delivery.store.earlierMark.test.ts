// A record marked by an earlier release over the short lifetime of an unmarked one. A POST answered
// 503 can leave an unmarked record (`enqueued: false`, ROW_PENDING_TTL_MS); the same event posted
// again to an instance of the release before the mark took the lifetime away queues the row and
// marks the record keeping its expiry (its mark wrote `{ ...current, enqueued: true }` with
// 'keep'), and answers 202. The writes of a send (claim, unclaim, Retry-After) kept the expiry too,
// so an accepted event not settled within 15 minutes was swept and never delivered. The README
// ("Retention"): an event still queued (waiting or under a send) is never deleted; one that ended
// is kept 30 days.
//
// The record is written here as that release writes it; the current store is then asserted on.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVENT_RETENTION_MS, ROW_PENDING_TTL_MS } from '../../src/notifications/eventRetention';
import { EventRecord, NotificationStore } from '../../src/notifications/store';
import { SqliteState } from '../../src/state/sqlite';
import { roleEvent } from '../fixtures/deliverySession';

describe('notification store: a record marked by the earlier release, with a short lifetime', () => {
  let dir: string;
  let state: SqliteState;
  let clock: number;
  let store: NotificationStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-earliermark-'));
    clock = Date.parse('2026-03-02T09:00:00Z');
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    store = new NotificationStore(state);
  });

  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What the earlier release's duplicate path leaves over the unmarked record of a 503: the mark,
   * the short lifetime kept, and its row. */
  const markedByEarlierRelease = async (eventId: string): Promise<void> => {
    const record: EventRecord = {
      event: roleEvent(eventId),
      state: 'queued',
      acceptedAt: new Date(clock).toISOString(),
      attempts: 0,
      enqueued: true,
    };
    assert.notEqual(await state.records.create(`event:${eventId}`, record, { ttlMs: ROW_PENDING_TTL_MS }), null);
    await state.outbox.enqueue(eventId, { eventId });
  };

  const pastShortLifetime = async () => {
    clock += ROW_PENDING_TTL_MS + 1;
    await state.sweepExpired();
  };

  it('a claim takes the short lifetime away: an event under a send is never swept', async () => {
    await markedByEarlierRelease('m1');
    assert.equal((await store.claim('m1', 'A', clock, 60_000)).kind, 'claimed');
    await pastShortLifetime();
    assert.equal((await store.get('m1'))?.state, 'queued', 'accepted and still queued: kept');
  });

  it('an event waiting out a Retry-After past 15 minutes is still delivered, then kept 30 days', async () => {
    await markedByEarlierRelease('m2');
    assert.equal((await store.claim('m2', 'A', clock, 60_000)).kind, 'claimed');
    await store.retryLater('m2', 'A', 1, clock + 20 * 60_000);
    await pastShortLifetime();
    clock += 5 * 60_000;
    assert.equal((await store.claim('m2', 'B', clock, 60_000)).kind, 'claimed');
    await store.unclaim('m2', 'B');
    await pastShortLifetime();
    assert.equal((await store.claim('m2', 'C', clock, 60_000)).kind, 'claimed');
    const ended = { state: 'delivered' as const, activityId: 'a1', conversationId: 'c1' };
    assert.equal(await store.finish('m2', ended, 2, clock), true);
    clock += EVENT_RETENTION_MS - 60_000;
    await state.sweepExpired();
    assert.equal((await store.get('m2'))?.state, 'delivered', 'kept for its 30 days');
    clock += 120_000;
    await state.sweepExpired();
    assert.equal(await store.get('m2'), null, 'and deleted after them');
  });

  it('a late writer of a send that ended leaves the retention of the finished record as it is', async () => {
    await markedByEarlierRelease('m3');
    assert.equal((await store.claim('m3', 'A', clock, 1_000)).kind, 'claimed');
    clock += 2_000;
    // A's claim ran out; B took the send and published the event; A's writes come late.
    assert.equal((await store.claim('m3', 'B', clock, 60_000)).kind, 'claimed');
    await store.published('m3', 'B', new Date(clock));
    await store.retryLater('m3', 'A', 1, clock + 60_000);
    await store.unclaim('m3', 'A');
    clock += EVENT_RETENTION_MS + 1;
    await state.sweepExpired();
    assert.equal(await store.get('m3'), null, 'a published event goes 30 days after its publication');
  });
});
