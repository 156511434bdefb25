// "Is any channel subscribed to actions taken?" is asked before every action alert is stored
// (actionAlerts.ts). Its index may hold entries whose record does not subscribe (superset order,
// subscriptions.ts): read one after another, a long run of those cost one store round trip each.
// The records are read in rounds that grow (readRounds.ts): the usual case, the first entry
// subscribed, still costs one read of a channel record; a long run costs a few rounds, never more
// than READS_AT_ONCE reads at a time. The store's reads are counted here.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { READS_AT_ONCE } from '../../src/alerts/readRounds';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { channelKey, indexKey } from '../../src/alerts/subscriptionRecords';
import type { ChannelRecord, IndexRecord } from '../../src/alerts/subscriptionRecords';
import { Records } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';

const TEAM = '19:team-any@thread.tacv2';
const refs = Array.from({ length: 40 }, (_, i) => ({ teamId: TEAM, channelId: `19:ch${i}@thread.tacv2` }));

/** `records` whose reads are counted: how many, and the most under way at once. */
function countingReads(records: Records) {
  const seen = { reads: 0, atOnce: 0, most: 0 };
  const wrapped: Records = {
    ...records,
    get: async (k) => {
      seen.reads++;
      seen.most = Math.max(seen.most, ++seen.atOnce);
      try {
        return await records.get(k);
      } finally {
        seen.atOnce--;
      }
    },
  };
  return { records: wrapped, seen };
}

describe('alerts: whether any channel subscribes, read in bounded rounds', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-any-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The actions index names every channel; only those in `subscribing` have records that subscribe
   * it (the others hear role requests only). */
  async function indexWith(subscribing: ReadonlySet<number>): Promise<void> {
    await state.records.put<IndexRecord>(indexKey('actions'), { channels: refs }, 'none');
    for (const [i, ref] of refs.entries()) {
      const categories = subscribing.has(i) ? (['actions'] as const) : (['roleRequests'] as const);
      await state.records.put<ChannelRecord>(
        channelKey(ref.channelId),
        { ...ref, categories: [...categories], digest: false, updatedAt: 0 },
        'none',
      );
    }
  }

  it('the first entry subscribed: one channel record read, as one by one', async () => {
    await indexWith(new Set([0]));
    const counted = countingReads(state.records);
    assert.equal(await new AlertSubscriptions(counted.records).anySubscriber('actions'), true);
    assert.equal(counted.seen.reads, 2, 'the index and one channel record');
  });

  it('a long run of entries that do not subscribe is read several at a time, within the bound', async () => {
    await indexWith(new Set([30]));
    const counted = countingReads(state.records);
    assert.equal(await new AlertSubscriptions(counted.records).anySubscriber('actions'), true);
    assert.ok(counted.seen.most > 1, `reads went one by one (${counted.seen.most} at most at once)`);
    assert.ok(counted.seen.most <= READS_AT_ONCE, `${counted.seen.most} reads at once`);
    // Rounds of 1, 2, 4, 8, 16: the one that reads entry 30 (of 15..30) is the last.
    assert.equal(counted.seen.reads, 1 + 31, 'no round after the one that answered');
  });

  it('no subscriber: every record read, at most READS_AT_ONCE at a time', async () => {
    await indexWith(new Set());
    const counted = countingReads(state.records);
    assert.equal(await new AlertSubscriptions(counted.records).anySubscriber('actions'), false);
    assert.equal(counted.seen.reads, 1 + refs.length);
    assert.equal(counted.seen.most, READS_AT_ONCE);
  });
});
