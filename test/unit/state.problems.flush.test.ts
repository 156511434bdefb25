// Problems past a minute's share are logged as one count when the minute ends, on a timer that does
// not keep the process alive. A store that closes before then (the instance stops) tells that count
// as it closes, or the operator's log never hears of them.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteState } from '../../src/state/sqlite';
import { StoreProblems } from '../../src/state/problems';

describe('state store problems: the count not yet told when the store closes', () => {
  it('is told as the SQLite store closes, once, and the minute’s end tells nothing more', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-problem-flush-'));
    try {
      const timers: Array<() => void> = [];
      const state = new SqliteState(path.join(dir, 'state.db'), {
        problemLimits: { toldPerWindow: 1, now: () => 0, later: (fn) => void timers.push(fn) },
      });
      const unlisted: number[] = [];
      state.watchProblems(
        () => undefined,
        (count) => unlisted.push(count),
      );
      const problems = (state as unknown as { problems: StoreProblems }).problems;
      for (const where of ['a', 'b', 'c']) problems.add({ subject: 'record', where, reason: 'r', text: where });
      assert.deepEqual(unlisted, [], 'not before the minute ends');
      await state.close();
      assert.deepEqual(unlisted, [2], 'told as the store closes');
      for (const fn of timers) fn();
      assert.deepEqual(unlisted, [2], 'the timer that fires later tells nothing');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
