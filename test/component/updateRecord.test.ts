// The compare-and-swap helper under contention, on the SQLite store: many writers on one record
// all land with the default settings, and a writer that never wins still gives up within its
// bounds. In one process SQLite answers synchronously, so writers would never overlap between
// their read and their write: the store here answers each call a couple of milliseconds later, as
// a store across a network does, which is when losers pile up.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Records, StateUnavailableError } from '../../src/state/port';
import { SqliteState } from '../../src/state/sqlite';
import { updateRecord } from '../../src/state/update';

/** `records`, each call answered `ms` later (a networked store's round trip), counting writes. */
function answeringLater(records: Records, ms: number): Records & { readonly writes: () => number } {
  let writes = 0;
  const later = <R>(call: () => Promise<R>): Promise<R> => new Promise<void>((r) => setTimeout(r, ms)).then(call);
  const write = <R>(call: () => Promise<R>): Promise<R> => {
    writes++;
    return later(call);
  };
  return {
    get: (key) => later(() => records.get(key)),
    create: (key, value, options) => write(() => records.create(key, value, options)),
    replace: (key, value, version, options) => write(() => records.replace(key, value, version, options)),
    put: (key, value, options) => write(() => records.put(key, value, options)),
    delete: (key, version) => write(() => records.delete(key, version)),
    writes: () => writes,
  };
}

describe('compare-and-swap updates under contention (SQLite)', function () {
  this.timeout(60_000);
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-update-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('200 concurrent writers on one record all land with the default settings', async () => {
    const records = answeringLater(state.records, 2);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        updateRecord<number>(records, 'counter', (n) => ({ next: (n ?? 0) + 1 }), 'none'),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(
      failed.length,
      0,
      `${failed.length} writers gave up: ${String((failed[0] as PromiseRejectedResult)?.reason)}`,
    );
    assert.equal((await state.records.get<number>('counter'))?.value, 200);
  });

  /** A writer on `busy` that another one always beats: the other changes the record between this
   * one's read and its write (SQLite writes at once; this writer's write comes a tick later). */
  function losingWriter(records: Records, options: { attempts: number; budgetMs?: number }) {
    let reads = 0;
    const done = updateRecord<number>(
      records,
      'busy',
      () => {
        reads++;
        void state.records.put('busy', reads, 'none');
        return { next: -1 };
      },
      'none',
      options,
    ).then(
      () => assert.fail('won against a record that always changes'),
      (e: unknown) => e,
    );
    return { error: done, reads: () => reads };
  }

  it('a writer that never wins gives up after its attempts with StateUnavailableError', async () => {
    const records = answeringLater(state.records, 0);
    const writer = losingWriter(records, { attempts: 6 });
    const error = await writer.error;
    assert.ok(error instanceof StateUnavailableError, String(error));
    assert.match(error.message, /kept changing under 6 attempts/);
    assert.equal(writer.reads(), 6);
    assert.equal(records.writes(), 6);
  });

  it('a writer that never wins gives up when its time budget is spent, before its attempts', async () => {
    const writer = losingWriter(answeringLater(state.records, 0), { attempts: 10_000, budgetMs: 200 });
    const error = await writer.error;
    assert.ok(error instanceof StateUnavailableError, String(error));
    assert.ok(writer.reads() < 10_000, `${writer.reads()} attempts`);
  });
});
