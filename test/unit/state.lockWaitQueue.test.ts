// The queue of operations waiting for another process's SQLite write lock (src/state/sqliteLockWait.ts)
// must never stall: whatever goes wrong while one waits, that one fails, and the next ones called
// behind it still get their turn. Otherwise every later operation of the store would wait forever.

import { strict as assert } from 'node:assert';
import { LockWait } from '../../src/state/sqliteLockWait';
import { StateUnavailableError } from '../../src/state/port';

/** An error as better-sqlite3 throws it when another connection holds the lock. */
function busy(): Error {
  return Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
}

describe('SQLite lock wait queue', () => {
  it('an operation whose wait throws fails, and the one called behind it is still made', async () => {
    let asked = 0;
    const wait = new LockWait(
      1_000,
      () => {
        asked++;
        throw new Error('the store could not say whether to wait');
      },
      (what) => new StateUnavailableError(`state store: ${what} failed`),
    );
    const first = wait.run('put', () => {
      throw busy();
    });
    const second = wait.run('read', () => 'made');
    await assert.rejects(first);
    assert.ok(asked > 0, 'the wait was asked about');
    const outcome = await Promise.race([second, new Promise((r) => setTimeout(() => r('stalled'), 2_000))]);
    assert.equal(outcome, 'made');
  });
});
