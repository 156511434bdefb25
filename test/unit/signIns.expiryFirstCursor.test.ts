// Contract §6: every valid command that names an operation writes one JSON line when it ends. A
// remembered command whose sign-in never completes ends in the periodic pass (state/signInExpiry.ts),
// which reads the due index from a cursor made by the first sign-in noted in the store. Two first
// sign-ins at once on two instances, either side of a 5-minute boundary (the clocks of two machines
// differ by a little, and either write can land first), noted the earlier one in a bucket before the
// cursor, which no pass ever read: its command ended with no line.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';

const ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';
const BOB = 'bbbbbbbb-2222-4222-8222-222222222222';
const MINUTE = 60_000;
/** A 5-minute boundary (the due index's buckets are 5 minutes of creation). */
const BOUNDARY = Date.UTC(2026, 0, 5, 10, 5);

describe('the sign-in due index: the first sign-ins in a store', () => {
  let dir: string;
  const states: SqliteState[] = [];
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signin-cursor-'))));
  afterEach(async () => {
    for (const s of states.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  /** An instance of its own (its own connection to the shared store) on the clock `now`. */
  const instance = (now: () => number) => {
    const state = new SqliteState(path.join(dir, 'state.db'), { now });
    states.push(state);
    return new PendingSignIns<{ n: number }>(state.records, { now });
  };

  it('ends both when the later one was noted first, the earlier one on a clock a little behind', async () => {
    let t = BOUNDARY;
    const a = instance(() => t - 20);
    const b = instance(() => t + 20);
    // B's sign-in lands first (just after the boundary), A's just after it (just before it, by A's clock).
    await b.add('s-bob', BOB, { n: 2 });
    await a.add('s-alice', ALICE, { n: 1 });
    t += 40 * MINUTE;
    const ended: string[] = [];
    const count = await b.endExpired((entry) => ended.push(entry.id));
    assert.deepEqual(ended.sort(), ['s-alice', 's-bob'], 'each waited its time out and ended with its line');
    assert.equal(count, 2);
  });
});
