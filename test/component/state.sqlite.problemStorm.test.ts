// A store may hold any number of unreadable records; while the quarantine refuses them, every read
// meets each one again, and the store's own "said once" memory (1,000 rows) forgets and says it
// again. What the store keeps of its problems, and what it tells the operator's log, must stay
// bounded however many there are, and /readyz's count must still be the number of problems met.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreProblem, StoreProblems } from '../../src/state/problems';
import { SqliteState } from '../../src/state/sqlite';
import { problemTexts } from '../fixtures/problemTexts';

describe('state store problems: a storm of unreadable records that cannot be set aside', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-problem-storm-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps and tells a bounded number, never the same one twice, and counts each one once', async function () {
    // Thousands of commits, each synced to disk (synchronous=FULL): seconds on a slow disk.
    this.timeout(120_000);
    const file = path.join(dir, 'state.db');
    let now = 0;
    const timers: Array<{ at: number; fn: () => void }> = [];
    const state = new SqliteState(file, {
      problemLimits: { now: () => now, later: (fn, ms) => void timers.push({ at: now + ms, fn }) },
    });
    const told: StoreProblem[] = [];
    const unlisted: number[] = [];
    state.watchProblems(
      (p) => told.push(p),
      (count) => unlisted.push(count),
    );
    const N = 2500;
    const keys = Array.from({ length: N }, (_, i) => `event:e${i}`);
    for (const key of keys) await state.records.put(key, { ok: true }, 'none');
    const raw = new Database(file);
    raw.prepare("UPDATE records SET value = 'garbage {'").run();
    // The quarantine table refuses rows (as a full disk would).
    raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON quarantine BEGIN SELECT RAISE(ABORT, 'refused'); END");
    raw.close();
    for (let cycle = 0; cycle < 4; cycle++) {
      for (const key of keys) assert.equal(await state.records.get(key), null);
      // A minute passes between read cycles: each window tells at most its share.
      now += 60_000;
      for (const t of timers.splice(0)) if (t.at <= now) t.fn();
    }
    assert.equal(state.problemCount(), N, '/readyz counts each unreadable record once');
    assert.ok(told.length <= 100, `told one by one: ${told.length}`);
    const pairs = told.map((p) => `${p.subject}|${p.where}|${p.keptAs}`);
    assert.equal(new Set(pairs).size, pairs.length, 'none told twice');
    assert.equal(told.length + unlisted.reduce((a, b) => a + b, 0), N, 'the rest told as a count');
    assert.ok(problemTexts(state).length <= 100, `sentences kept: ${problemTexts(state).length}`);
    await state.close();
  });

  it('forgets the oldest it remembers, and a watcher that comes late is told how many it missed', () => {
    const problems = new StoreProblems({ remembered: 3, kept: 2, toldPerWindow: 10 });
    for (const where of ['a', 'b', 'c', 'a', 'd']) problems.add({ subject: 'record', where, reason: 'r', text: where });
    assert.equal(problems.count(), 4, 'a, met again while remembered, counted once');
    const told: string[] = [];
    const missed: number[] = [];
    problems.watch(
      (p) => told.push(p.where!),
      (n) => missed.push(n),
    );
    assert.deepEqual(told, ['c', 'd']);
    assert.deepEqual(missed, [2]);
  });
});
