// The small alert records on the SQLite store: a reminder marked once, the digest's day and
// waiting records, and the copies of a card across channels.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DigestLog } from '../../src/alerts/digest';
import { WAITING_CAP } from '../../src/alerts/waitingList';
import { ItemCopies, MAX_COPIES, itemKeyOf } from '../../src/alerts/itemCopies';
import { READS_AT_ONCE } from '../../src/alerts/readRounds';
import { ReminderLedger } from '../../src/alerts/reminders';
import { Records } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';

describe('alerts: reminder, digest and card-copy records', () => {
  let dir: string;
  let state: SqliteState;
  const clock = Date.UTC(2026, 2, 4, 12, 0, 0);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('marks a reminder sent once, even when two instances race', async () => {
    const a = new ReminderLedger(state.records, () => clock);
    const b = new ReminderLedger(state.records, () => clock);
    const results = await Promise.all([a.markReminded('roleRequest:x'), b.markReminded('roleRequest:x')]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.deepEqual([...(await a.reminded(['roleRequest:x', 'roleRequest:y']))], ['roleRequest:x']);
  });

  it('reads whether each waiting approval was reminded at most READS_AT_ONCE at a time', async () => {
    // The waiting list holds up to WAITING_CAP approvals: all read at once, that many store calls
    // with a deadline each time out together under a slow store, and the reminder pass fails.
    const keys = Array.from({ length: WAITING_CAP }, (_, i) => `roleRequest:${i}`);
    const ledger = new ReminderLedger(state.records, () => clock);
    for (const k of keys.filter((_, i) => i % 3 === 0)) await ledger.markReminded(k);
    const seen = { reads: 0, atOnce: 0, most: 0 };
    const counted: Records = {
      ...state.records,
      get: async (k) => {
        seen.reads++;
        seen.most = Math.max(seen.most, ++seen.atOnce);
        try {
          return await state.records.get(k);
        } finally {
          seen.atOnce--;
        }
      },
    };
    const reminded = await new ReminderLedger(counted, () => clock).reminded(keys);
    assert.deepEqual([...reminded].sort(), keys.filter((_, i) => i % 3 === 0).sort());
    assert.equal(seen.reads, WAITING_CAP);
    assert.ok(seen.most <= READS_AT_ONCE, `${seen.most} reads at once`);
  });

  it('keeps the day counts and the waiting list the digest reads', async () => {
    const log = new DigestLog(state.records, () => clock);
    await Promise.all([
      log.count('actions', 'succeeded'),
      log.count('actions', 'succeeded'),
      log.count('actions', 'failed'),
      log.count('roleRequests', 'announced', clock - 24 * 3_600_000),
    ]);
    await log.waiting({ key: 'cancelRoleRequest:1', category: 'roleRequests', title: 'one', since: clock - 1000 });
    await log.waiting({ key: 'cancelRoleRequest:2', category: 'roleRequests', title: 'two', since: clock - 5000 });
    await log.settled('cancelRoleRequest:1');
    const today = await log.read('2026-03-04');
    assert.deepEqual(today.day.counts, { actions: { succeeded: 2, failed: 1 } });
    assert.deepEqual(
      today.waiting.map((w) => w.key),
      ['cancelRoleRequest:2'],
    );
    assert.deepEqual((await log.read('2026-03-03')).day.counts, { roleRequests: { announced: 1 } });
    assert.deepEqual((await log.read('2026-01-01')).day, { date: '2026-01-01', counts: {} });
  });

  it('remembers every posted copy of an item, once each', async () => {
    const copies = new ItemCopies(state.records);
    const item = { operation: 'cancelRoleRequest', ids: { requestId: 'ABC' } };
    await copies.add(item, {
      conversationId: '19:a@thread.tacv2;messageid=1',
      activityId: '1',
      channelId: '19:a@thread.tacv2',
    });
    await copies.add(item, {
      conversationId: '19:b@thread.tacv2;messageid=2',
      activityId: '2',
      channelId: '19:b@thread.tacv2',
    });
    await copies.add(item, {
      conversationId: '19:a@thread.tacv2;messageid=1',
      activityId: '1',
      channelId: '19:a@thread.tacv2',
    });
    const same = { operation: 'cancelRoleRequest', ids: { requestId: 'abc' } };
    assert.equal(itemKeyOf(same), itemKeyOf(item));
    assert.deepEqual(
      (await copies.copiesOf(same)).map((c) => c.activityId),
      ['1', '2'],
    );
    assert.deepEqual(await copies.copiesOf({ operation: 'resumeTask', ids: { x: '1' } }), []);
  });

  it('keeps the channel copies when an item was notified to more approvers than it remembers', async () => {
    const copies = new ItemCopies(state.records);
    const item = { operation: 'cancelRoleRequest', ids: { requestId: 'abc' } };
    await copies.add(item, {
      conversationId: '19:ops@thread.tacv2',
      activityId: 'ch',
      channelId: '19:ops@thread.tacv2',
    });
    for (let i = 0; i < MAX_COPIES; i++) {
      await copies.add(item, { conversationId: `a:personal-${i}`, activityId: `p${i}`, userId: `user-${i}` });
    }
    const kept = await copies.copiesOf(item);
    assert.equal(kept.length, MAX_COPIES);
    assert.equal(kept[0]?.activityId, 'ch', 'the channel copy stays');
    assert.equal(kept[1]?.activityId, 'p1', 'the oldest personal copy went');
  });
});
