// `alerts on` and `alerts off` of one category in one channel at once, on two instances: the off
// writes the channel record, then takes the channel out of the category's index; the on writes the
// index, the record, then the index again (subscriptions.ts, superset order). When the on ran whole
// between the off's record write and its index write, the off took the channel out of the index
// though the record, written last, says on: no alert of that category reached the channel until
// the periodic pass put it back (about 100 minutes). The off now takes a channel out of an index
// only when the channel's record, read after the index, does not follow the topic, and writes the
// index only at the version it read (the store's compare-and-swap), so an on that lands meanwhile
// keeps its entry. Deterministic: the off's store holds one call until the on has finished.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { indexKey } from '../../src/alerts/subscriptionRecords';
import type { IndexRecord } from '../../src/alerts/subscriptionRecords';
import { SqliteState } from '../../src/state/sqlite';
import { RACED, onDuringOff } from '../fixtures/onOffRace';

const CH = RACED;
const owner = { userId: 'aad-owner', correlationId: 'corr-on' };
const other = { userId: 'aad-other', correlationId: 'corr-off' };

describe('alerts: on and off of one category at once on two instances', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-alerts-onoff-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const indexed = async () =>
    ((await state.records.get<IndexRecord>(indexKey('roleRequests')))?.value.channels ?? []).map((c) => c.channelId);

  // Where the off is held: before it reads the index (the on then runs whole), or between its read
  // of the index and its write (the on's writes then change the version the off read).
  for (const [op, when] of [
    ['get', 'before the off reads the index'],
    ['replace', 'between the off reading the index and writing it'],
  ] as const) {
    it(`an on that runs whole ${when} stays in the index, as its record says`, async () => {
      const after = await onDuringOff(state.records, state.records, op);
      assert.deepEqual(after.categories, ['roleRequests'], 'the on was written last');
      assert.deepEqual(after.indexed, [RACED.channelId], 'the index names the channel its record subscribes');
      assert.deepEqual(after.heard, [RACED.channelId], 'the next alert of the category reaches the channel');
    });
  }

  it('an off with no on meanwhile still takes the channel out of the index', async () => {
    const subs = new AlertSubscriptions(state.records);
    await subs.setCategory(CH, 'roleRequests', true, owner);
    await subs.setCategory(CH, 'groupRequests', true, owner);
    await subs.setCategory(CH, 'roleRequests', false, other);
    assert.deepEqual(await indexed(), []);
    assert.deepEqual(
      ((await state.records.get<IndexRecord>(indexKey('groupRequests')))?.value.channels ?? []).map((c) => c.channelId),
      [CH.channelId],
    );
  });
});
