// A fan-out reads the record of every channel its category's index names (subscriptions.ts), and
// the status of a fan-out reads the delivery record of every channel its plan holds (fanout.ts).
// An index may name hundreds of channels; started all at once, hundreds of store calls each with
// its own deadline (Azure Blob Storage: 10 s by default) time out together under a slow store, and
// the fan-out fails. Both read at most READS_AT_ONCE records at a time (readRounds.ts), and still
// answer every channel, in the same order. A record that cannot be read fails the whole, as
// before: the fan-out row is not completed (and runs again), and nothing is pruned.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Fanout } from '../../src/alerts/fanout';
import { READS_AT_ONCE } from '../../src/alerts/readRounds';
import { AlertSubscriptions, ChannelRef } from '../../src/alerts/subscriptions';
import { channelKey, indexKey } from '../../src/alerts/subscriptionRecords';
import type { ChannelRecord, IndexRecord } from '../../src/alerts/subscriptionRecords';
import type { ChannelSuspension } from '../../src/alerts/channelSuspension';
import { Records } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';

const TEAM = '19:team-bounded@thread.tacv2';
const COUNT = 100;
const name = (i: number) => `19:ch${String(i).padStart(3, '0')}@thread.tacv2`;
// Index order is not channel-id order: the answer keeps the index's.
const refs: ChannelRef[] = Array.from({ length: COUNT }, (_, i) => ({
  teamId: TEAM,
  channelId: name((i * 37) % COUNT),
}));

/** `records` whose reads are counted (how many, the most under way at once), each answered after a
 * wait of its own so they end in another order than they started; `fails`: keys whose read rejects. */
function countingReads(records: Records, fails: ReadonlySet<string> = new Set()) {
  const seen = { reads: 0, atOnce: 0, most: 0 };
  const wrapped: Records = {
    ...records,
    get: async (k) => {
      const n = seen.reads++;
      seen.most = Math.max(seen.most, ++seen.atOnce);
      try {
        await new Promise((r) => setTimeout(r, (n * 7) % 5));
        if (fails.has(k)) throw new Error('the store did not answer in time');
        return await records.get(k);
      } finally {
        seen.atOnce--;
      }
    },
  };
  return { records: wrapped, seen };
}

describe('alerts: a fan-out over many channels reads at most READS_AT_ONCE records at a time', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-bounded-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The roleRequests index names every channel. Its record: every third subscribes roleRequests,
   * every third only actions, every third is gone (a deleted channel's, expired); channel 0
   * subscribes but is suspended. Returns the channels a fan-out reaches, in index order. */
  async function indexed(): Promise<ChannelRef[]> {
    await state.records.put<IndexRecord>(indexKey('roleRequests'), { channels: refs }, 'none');
    const reached: ChannelRef[] = [];
    for (const [i, ref] of refs.entries()) {
      if (i % 3 === 2) continue;
      const subscribes = i % 3 === 0;
      const suspended: ChannelSuspension | undefined = i === 0 ? { since: 0, reason: 'refused' } : undefined;
      await state.records.put<ChannelRecord>(
        channelKey(ref.channelId),
        {
          ...ref,
          categories: subscribes ? ['roleRequests'] : ['actions'],
          digest: false,
          updatedAt: 0,
          ...(suspended ? { suspended } : {}),
        },
        'none',
      );
      if (subscribes && !suspended) reached.push(ref);
    }
    return reached;
  }

  it('channelsFor: 100 indexed channels, every one read, at most READS_AT_ONCE at once, the same answer', async () => {
    const reached = await indexed();
    const counted = countingReads(state.records);
    const found = await new AlertSubscriptions(counted.records).channelsFor('roleRequests');
    assert.deepEqual(found, reached, 'every subscribed channel, in index order');
    assert.equal(counted.seen.reads, 1 + COUNT, 'the index and each channel record once');
    assert.ok(counted.seen.most <= READS_AT_ONCE, `${counted.seen.most} reads at once`);
    assert.equal(counted.seen.most, READS_AT_ONCE, 'several at a time, not one by one');
    // The entries whose record is gone left the index, as before.
    const index = await state.records.get<IndexRecord>(indexKey('roleRequests'));
    assert.equal(index!.value.channels.length, COUNT - Math.floor(COUNT / 3));
  });

  it('the fan-out of an event plans every one of them', async () => {
    const reached = await indexed();
    const counted = countingReads(state.records);
    const subs = new AlertSubscriptions(counted.records);
    const fanout = new Fanout({
      records: state.records,
      channelsFor: (t) => subs.channelsFor(t),
      enqueue: async () => undefined,
    });
    const deliveries = await fanout.fanOut({ eventId: 'evt-many', category: 'roleRequests' });
    assert.deepEqual(
      deliveries.map((d) => d.channelId),
      reached.map((r) => r.channelId).sort(),
    );
    assert.ok(counted.seen.most <= READS_AT_ONCE, `${counted.seen.most} reads at once`);
  });

  it('a channel record that cannot be read fails the fan-out, plans nothing and prunes nothing', async () => {
    await indexed();
    const counted = countingReads(state.records, new Set([channelKey(refs[40]!.channelId)]));
    const subs = new AlertSubscriptions(counted.records);
    const fanout = new Fanout({
      records: state.records,
      channelsFor: (t) => subs.channelsFor(t),
      enqueue: async () => undefined,
    });
    await assert.rejects(fanout.fanOut({ eventId: 'evt-fails', category: 'roleRequests' }), /did not answer/);
    // No plan frozen: the row's next run asks again.
    assert.equal(await state.records.get('alerts:fanout:evt-fails'), null);
    const index = await state.records.get<IndexRecord>(indexKey('roleRequests'));
    assert.equal(index!.value.channels.length, COUNT, 'no entry pruned on a failed read');
    assert.ok(counted.seen.most <= READS_AT_ONCE, `${counted.seen.most} reads at once`);
  });

  it('the report of a fan-out to 100 channels reads their deliveries at most READS_AT_ONCE at once', async () => {
    const fanout = new Fanout({
      records: state.records,
      channelsFor: async () => refs,
      enqueue: async () => undefined,
    });
    const planned = await fanout.fanOut({ eventId: 'evt-report', category: 'roleRequests' });
    const counted = countingReads(state.records);
    const report = await new Fanout({
      records: counted.records,
      channelsFor: async () => [],
      enqueue: async () => undefined,
    }).report('evt-report');
    assert.deepEqual(
      report!.map((r) => [r.channelId, r.state]),
      planned.map((d) => [d.channelId, 'queued']),
      'every channel, in the plan order',
    );
    assert.equal(counted.seen.reads, 1 + COUNT, 'the plan and each delivery once');
    assert.ok(counted.seen.most <= READS_AT_ONCE, `${counted.seen.most} reads at once`);
  });
});
