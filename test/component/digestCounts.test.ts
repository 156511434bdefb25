// The digest's daily counts on the SQLite store under concurrency: every action, event and
// reminder adds to one record of the day, so many at once must not each read and rewrite it (a hot
// record that made concurrent writers retry), and none may be said counted before it is stored.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DigestLog } from '../../src/alerts/digest';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';

/** The store's records, counting writes, with a gate that can hold writes back or fail them. */
function watched(records: Records) {
  let hold: Promise<void> | null = null;
  let fail = false;
  let writeBegan: (() => void) | null = null;
  const began = () => {
    w.writes++;
    writeBegan?.();
    writeBegan = null;
  };
  const w = {
    writes: 0,
    /** Resolves when the next write of a record begins. */
    nextWrite(): Promise<void> {
      return new Promise<void>((r) => (writeBegan = r));
    },
    holdWrites(): () => void {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
    failWrites(on: boolean): void {
      fail = on;
    },
    records: {
      get: (key) => records.get(key),
      delete: (key, version) => records.delete(key, version),
      put: (key, value, options) => records.put(key, value, options),
      create: async (key, value, options) => {
        began();
        if (hold) await hold;
        if (fail) throw new StateUnavailableError('state store: write failed (SQLITE_FULL)');
        return records.create(key, value, options);
      },
      replace: async (key, value, version, options) => {
        began();
        if (hold) await hold;
        if (fail) throw new StateUnavailableError('state store: write failed (SQLITE_FULL)');
        return records.replace(key, value, version, options);
      },
    } as Records,
  };
  return w;
}

/** 'written' when the counts are stored within 5 s, 'held' when they still wait (for a window). */
function writtenOrHeld(counts: Promise<unknown>): Promise<'written' | 'held'> {
  const held = new Promise<'held'>((r) => setTimeout(() => r('held'), 5_000).unref());
  return Promise.race([counts.then(() => 'written' as const), held]);
}

describe('digest day counts under concurrency', () => {
  let dir: string;
  let state: SqliteState;
  const clock = Date.UTC(2026, 2, 4, 12, 0, 0);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-digest-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts 100 actions finishing at once with a few writes of the day record, not one each', async () => {
    const w = watched(state.records);
    const log = new DigestLog(w.records, () => clock);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => log.count('actions', i % 4 === 0 ? 'failed' : 'succeeded')),
    );
    assert.deepEqual((await log.read('2026-03-04')).day.counts, { actions: { succeeded: 75, failed: 25 } });
    assert.ok(w.writes <= 2, `${w.writes} writes of the day record`);
  });

  it('counts nobody waits for, finishing one after another in their own turns of the event loop, share a write', async () => {
    // On SQLite a write ends within the turn that started it, so gathering by turn alone left every
    // action of a busy instance reading and rewriting the day record by itself.
    const w = watched(state.records);
    const log = new DigestLog(w.records, () => clock);
    const counted: Array<Promise<void>> = [];
    for (let i = 0; i < 20; i++) {
      counted.push(log.count('actions', 'succeeded', clock, 'soon'));
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(counted);
    assert.deepEqual((await log.read('2026-03-04')).day.counts, { actions: { succeeded: 20 } });
    assert.ok(w.writes <= 2, `${w.writes} writes of the day record for 20 counts`);
  });

  it('a count its caller waits for is written at once, with the counts gathered so far, whatever the window', async () => {
    // An event's count is awaited before its fan-out is queued, by an outbox worker that runs a few
    // rows at a time: a window there would cap events at a few per window.
    const w = watched(state.records);
    const log = new DigestLog(w.records, () => clock, 3_600_000);
    const gathered = [log.count('actions', 'succeeded', clock, 'soon'), log.count('actions', 'failed', clock, 'soon')];
    await new Promise((r) => setImmediate(r));
    assert.equal(w.writes, 0, 'counts nobody waits for wait for the window');
    const urgent = log.count('roleRequests', 'announced');
    assert.equal(await writtenOrHeld(Promise.all([urgent, ...gathered])), 'written');
    assert.equal(w.writes, 1);
    assert.deepEqual((await log.read('2026-03-04')).day.counts, {
      actions: { succeeded: 1, failed: 1 },
      roleRequests: { announced: 1 },
    });
  });

  it('a stopping instance writes the gathering counts now and every later count at once', async () => {
    // The bot's close drains the digest after its turns end and before the store closes: no count
    // may still be waiting for its window then.
    const w = watched(state.records);
    const log = new DigestLog(w.records, () => clock, 3_600_000);
    const gathering = log.count('actions', 'succeeded', clock, 'soon');
    await new Promise((r) => setImmediate(r));
    assert.equal(w.writes, 0, 'gathering');
    log.drain();
    assert.equal(await writtenOrHeld(gathering), 'written');
    const later = log.count('actions', 'failed', clock, 'soon');
    assert.equal(await writtenOrHeld(later), 'written');
    assert.deepEqual((await log.read('2026-03-04')).day.counts, { actions: { succeeded: 1, failed: 1 } });
  });

  it('counts that arrive while a write is in flight go together in the next one, each resolved once stored', async () => {
    const w = watched(state.records);
    const log = new DigestLog(w.records, () => clock);
    const release = w.holdWrites();
    const writing = w.nextWrite();
    const first = log.count('actions', 'succeeded');
    await writing; // the first write is now waiting at the gate
    let laterDone = 0;
    const later = Array.from({ length: 20 }, () => log.count('actions', 'refused').then(() => laterDone++));
    await new Promise((r) => setImmediate(r));
    assert.equal(laterDone, 0, 'nothing is said counted before it is stored');
    release();
    await Promise.all([first, ...later]);
    assert.equal(laterDone, 20);
    assert.deepEqual((await log.read('2026-03-04')).day.counts, { actions: { succeeded: 1, refused: 20 } });
    assert.equal(w.writes, 2, 'one write for the first count, one for the twenty that waited');
  });

  it('a failed write fails every count it carried; later counts are written', async () => {
    const w = watched(state.records);
    const log = new DigestLog(w.records, () => clock);
    w.failWrites(true);
    const failed = await Promise.allSettled([log.count('approvals', 'reminded'), log.count('approvals', 'reminded')]);
    assert.deepEqual(
      failed.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    w.failWrites(false);
    await log.count('approvals', 'reminded');
    assert.deepEqual((await log.read('2026-03-04')).day.counts, { approvals: { reminded: 1 } });
  });

  it('two instances counting at once on one database lose nothing', async () => {
    const a = new DigestLog(state.records, () => clock);
    const b = new DigestLog(state.records, () => clock);
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).count('roleRequests', 'announced')));
    assert.deepEqual((await a.read('2026-03-04')).day.counts, { roleRequests: { announced: 60 } });
  });
});
