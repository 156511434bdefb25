// How the SQLite store (sqlite.ts) waits for another process's write lock: between short tries,
// the event loop free, and in call order. An operation that meets the lock is tried again later;
// one called after it could otherwise be made first, once the lock is let go, and a second put of
// a key land before the first (the older value kept), or a read miss a write called before it.
// So while one operation waits, every later one (reads too) waits behind it, and they are made
// one after another in the order they were called, each within its own wait counted from its own
// call. While none waits, an operation is made at once, synchronously, as if this were not here.

import { codeOf } from './sqliteOpen';
import { StateUnavailableError } from './port';
import { Try, retryWithin } from './retryWithin';

/** Pauses between the tries of a waiting operation (ms), then LONGEST_BUSY_WAIT between each. */
const BUSY_WAITS = [5, 10, 25, 50];
const LONGEST_BUSY_WAIT = 100;

interface Waiting {
  readonly what: string;
  readonly once: () => unknown;
  /** When it gives up (performance.now()): its call plus the store's wait. */
  readonly giveUpAt: number;
  /** The lock met by its own first try, made when it was called, if it made one. */
  readonly met?: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export class LockWait {
  /** The operations waiting, in call order; the first is the one being tried. */
  private readonly waiting: Waiting[] = [];

  constructor(
    /** How long an operation may wait for the lock in all, from its call (ms). */
    private readonly timeoutMs: number,
    /** False once waiting is pointless (the store is closed). */
    private readonly mayWait: () => boolean,
    /** The error an operation fails with, from what its last try threw. */
    private readonly failed: (what: string, e: unknown) => StateUnavailableError,
  ) {}

  /** Makes `once` now if nothing waits, else behind what waits; every failure a
   * StateUnavailableError. */
  run<R>(what: string, once: () => R): Promise<R> {
    const giveUpAt = performance.now() + this.timeoutMs;
    if (this.waiting.length > 0) return this.behind(what, once, giveUpAt);
    try {
      return Promise.resolve(once());
    } catch (e) {
      return isBusy(e) ? this.behind(what, once, giveUpAt, e) : Promise.reject(this.failed(what, e));
    }
  }

  private behind<R>(what: string, once: () => R, giveUpAt: number, met?: unknown): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const first = this.waiting.length === 0;
      this.waiting.push({ what, once, giveUpAt, met, resolve: resolve as (value: unknown) => void, reject });
      if (first) void this.inTurn();
    });
  }

  /** Makes the waiting operations one at a time until none is left. */
  private async inTurn(): Promise<void> {
    let lockHeld: unknown;
    for (let op = this.waiting[0]; op; op = this.waiting[0]) {
      // Whatever fails while one waits fails that one only: the queue goes on.
      const ended: Try<unknown> = await this.turn(op, lockHeld).catch((e: unknown) => ({ missed: e }));
      // Taken off first, so that what its caller does next is not queued behind itself.
      this.waiting.shift();
      lockHeld = 'missed' in ended && isBusy(ended.missed) ? ended.missed : undefined;
      if ('done' in ended) op.resolve(ended.done);
      else op.reject(failedSafely(() => this.failed(op.what, ended.missed)));
    }
  }

  /** Tries `op` until it is made or its wait is over. When the one before it gave up on the lock
   * (`lockHeld`), that try counts as its first: it pauses before trying, and fails at once if its
   * own wait is over already, rather than spend SQLite's blocking wait (sqlite.ts) on a lock found
   * held a moment ago, once for each operation of a burst that timed out together. */
  private turn(op: Waiting, lockHeld: unknown) {
    const met = op.met ?? lockHeld;
    return retryWithin(
      (): Try<unknown> => {
        try {
          return { done: op.once() };
        } catch (e) {
          return { missed: e };
        }
      },
      {
        until: op.giveUpAt,
        clock: () => performance.now(),
        pauseMs: (n) => BUSY_WAITS[n - 1] ?? LONGEST_BUSY_WAIT,
        // A statement or transaction that met SQLITE_BUSY changed nothing (better-sqlite3 rolls a
        // transaction back when it throws), so it is made anew.
        again: (e) => isBusy(e) && this.mayWait(),
      },
      met === undefined ? undefined : { missed: met },
    );
  }
}

/** The error to fail with: what `failed` gives, or what it threw (the next operations must still
 * have their turn). */
function failedSafely(failed: () => unknown): unknown {
  try {
    return failed();
  } catch (e) {
    return e;
  }
}

/** Another connection holds the lock this one needs (SQLITE_BUSY and its extended codes). */
function isBusy(e: unknown): boolean {
  return codeOf(e).startsWith('SQLITE_BUSY');
}
