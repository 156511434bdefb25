// A notification event record keeps the retention its finishing write gave it
// (eventRetention.ts) through the writes that only move a send's claim: a claim ended by a holder
// that lost the record's send to another is no reason for the record to live for ever.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVENT_RETENTION_MS } from '../../src/notifications/eventRetention';
import { NotificationStore } from '../../src/notifications/store';
import { SqliteState } from '../../src/state/sqlite';
import { roleEvent } from '../fixtures/deliverySession';

describe('notification store: retention through claim writes', () => {
  let dir: string;
  let state: SqliteState;
  let clock: number;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-retention-'));
    clock = Date.parse('2026-03-02T09:00:00Z');
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a published event whose other holder ends its claim still goes when its retention ends', async () => {
    const store = new NotificationStore(state);
    assert.equal(await store.accept(roleEvent('e1')), 'created');
    assert.equal((await store.claim('e1', 'A', clock, 1_000)).kind, 'claimed');
    // A's claim runs out while A is still publishing; B takes the send over.
    clock += 2_000;
    assert.equal((await store.claim('e1', 'B', clock, 60_000)).kind, 'claimed');
    // A's publication lands: the record is finished and kept for EVENT_RETENTION_MS, B's claim with it.
    await store.published('e1', 'A', new Date(clock));
    assert.equal((await store.get('e1'))?.sending?.holder, 'B');
    // B is stopped before its send and ends its claim: a change of the record, not of its lifetime.
    await store.unclaim('e1', 'B');
    const record = await store.get('e1');
    assert.ok(record?.publishedAt && record.sending === undefined);
    clock += EVENT_RETENTION_MS;
    assert.equal(await store.get('e1'), null, 'gone when its retention ended');
  });
});
