// The state port on one machine: one SQLite database (better-sqlite3, WAL) in STATE_DIRECTORY.
// Several bot processes on the same machine share it safely: every operation is one statement or
// one short transaction, and SQLite's own locking orders writers: an operation that meets another
// process's lock waits for it between short tries, never for long inside SQLite, and the
// operations called after it wait behind it, so they are made in call order (sqliteLockWait.ts). A row whose JSON
// cannot be read is moved to a quarantine table and reported; a database file that is not a
// database is set aside whole and a fresh one started, so one bad byte never stops the bot. A
// database that cannot be opened at all (an unwritable directory) does not stop it either: every
// operation fails with StateUnavailableError (callers answer 503) and opening is tried again on
// the next one, so fixing the directory needs no restart. A database file removed or replaced while
// open (the state directory deleted or restored) fails the operation that finds it, and the file
// at the path is opened by the next one (see sqliteFileIdentity.ts).

import Database from 'better-sqlite3';
import { CreateExpiry, Entry, Expiry, Lease, Records, StatePort, StateUnavailableError, WorkQueue } from './port';
import { ProblemLimits, ProblemWatcher, StoreProblems, UnlistedWatcher, labelOf, whereOf } from './problems';
import { FileIdentity } from './sqliteFileIdentity';
import { Holders } from './sqliteHolders';
import { LockWait } from './sqliteLockWait';
import { DAMAGED, codeOf, openDatabase, unavailable } from './sqliteOpen';
import { QueueTable, RecordsTable } from './sqliteTables';

export interface SqliteOptions {
  readonly now?: () => number;
  /** How long an operation waits for another process's lock before failing, in all. */
  readonly busyTimeoutMs?: number;
  /** How much of its problems the store remembers and how fast it tells of them (tests). */
  readonly problemLimits?: Partial<ProblemLimits>;
}

interface Open {
  readonly db: Database.Database;
  /** This process among those that have the file open, as long as `db` is open. */
  readonly holders: Holders;
  /** The file opened, as found at the path right after opening. */
  readonly identity: FileIdentity;
  readonly records: RecordsTable;
  readonly outbox: QueueTable<{ readonly eventId: string }>;
}

/** How long one try waits for another connection's lock inside SQLite's busy handler, which sleeps
 * on the event loop's own thread (https://www.sqlite.org/c3ref/busy_timeout.html): while it does,
 * the process answers nothing (health probes, other turns). A commit synced to disk takes a few
 * milliseconds, so most waits end here. */
const BLOCKING_WAIT_MS = 20;
/** Rows deleted per statement by the sweep. */
const SWEEP_BATCH = 500;

export class SqliteState implements StatePort {
  readonly records: Records;
  readonly outbox: WorkQueue<{ readonly eventId: string }>;
  private readonly problems: StoreProblems;
  readonly now: () => number;
  private readonly busyTimeoutMs: number;
  private readonly lockWait: LockWait;
  private current: Open | null = null;
  private closed = false;

  constructor(
    readonly file: string,
    options: SqliteOptions = {},
  ) {
    this.problems = new StoreProblems(options.problemLimits);
    this.now = options.now ?? Date.now;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    try {
      this.opened();
    } catch {
      // Reported by every operation and by check() until the database can be opened.
    }
    this.lockWait = new LockWait(
      this.busyTimeoutMs,
      () => !this.closed,
      (what, e) => this.failed(what, e),
    );
    const run = <R>(what: string, work: (open: Open) => R): Promise<R> => this.run(what, work);
    this.records = {
      get: <T>(key: string) => run('read', (o): Entry<T> | null => o.records.get<T>(key)),
      create: <T>(key: string, value: T, expiry: CreateExpiry) =>
        run('create', (o) => o.records.create(key, value, expiry)),
      replace: <T>(key: string, value: T, version: string, expiry: Expiry) =>
        run('replace', (o) => o.records.replace(key, value, version, expiry)),
      put: <T>(key: string, value: T, expiry: Expiry) => run('put', (o) => o.records.put(key, value, expiry)),
      delete: (key: string, version?: string) => run('delete', (o) => o.records.delete(key, version)),
    };
    type Item = { readonly eventId: string };
    this.outbox = {
      enqueue: (id: string, payload: Item, dueAt?: number) =>
        run('enqueue', (o) => o.outbox.enqueue(id, payload, dueAt)),
      lease: (leaseMs: number) => run('lease', (o) => o.outbox.lease(leaseMs)),
      extend: (lease: Lease<Item>, leaseMs: number) => run('extend', (o) => o.outbox.extend(lease, leaseMs)),
      complete: (lease: Lease<Item>) => run('complete', (o) => o.outbox.complete(lease)),
      release: (lease: Lease<Item>, delayMs: number) => run('release', (o) => o.outbox.release(lease, delayMs)),
      size: () => run('size', (o) => o.outbox.size()),
    };
  }

  problemCount(): number {
    return this.problems.count();
  }

  watchProblems(watcher: ProblemWatcher, unlisted?: UnlistedWatcher): () => void {
    return this.problems.watch(watcher, unlisted);
  }

  /** Deletes expired rows in batches (each batch one short statement, so a turn never waits long
   * behind it), up to `limit` in all; none after `stop` aborts (the database may be closing). */
  async sweepExpired(limit = 10_000, stop?: AbortSignal): Promise<number> {
    let removed = 0;
    while (removed < limit && !stop?.aborted) {
      const batch = Math.min(SWEEP_BATCH, limit - removed);
      const n = await this.run('sweep', (o) => o.records.sweep(batch));
      removed += n;
      if (n < batch) break;
      await new Promise((r) => setImmediate(r));
    }
    return removed;
  }

  async check(): Promise<void> {
    await this.run('check', ({ db }) => {
      db.prepare('BEGIN IMMEDIATE').run();
      db.prepare('ROLLBACK').run();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.letGo();
    this.problems.flush();
  }

  /** One synchronous operation on the open database, made at once unless another waits for a lock
   * (see LockWait); every failure a StateUnavailableError. */
  private run<R>(what: string, work: (open: Open) => R): Promise<R> {
    return this.lockWait.run(what, () => this.once(work));
  }

  private once<R>(work: (open: Open) => R): R {
    const result = work(this.opened());
    this.stillAtPath();
    return result;
  }

  /** The error to report. A database found damaged is let go of, so that it is opened again by
   * the next operation: once every process has let go of it, the first to open it sets it aside
   * and the others follow onto the fresh file (a process whose cache still hides the damage keeps
   * it, and with it the others out: see openDatabase). */
  private failed(what: string, e: unknown): StateUnavailableError {
    if (DAMAGED.has(codeOf(e))) this.letGo();
    return e instanceof StateUnavailableError ? e : unavailable(what, e);
  }

  /** Throws, letting go of the database, when the file at the path is no longer the one open: what
   * the operation did went to a file the next start will not see (or read one it no longer holds). */
  private stillAtPath(): void {
    if (this.current?.identity.stillAtPath() !== false) return;
    this.letGo();
    throw new StateUnavailableError(
      'state store: the database file was removed or replaced while open; the operation is refused and ' +
        'the next one opens the file now at the path',
    );
  }

  private letGo(): void {
    if (this.current?.db.open) this.current.db.close();
    this.current?.holders.leave();
    this.current = null;
  }

  /** The open database, opening it first if needed. */
  private opened(): Open {
    if (this.current) return this.current;
    if (this.closed) throw new StateUnavailableError('state store: closed');
    const { db, holders } = openDatabase(this.file, this.busyTimeoutMs, this.problems);
    // Opening (rare) may wait inside SQLite; every operation after it waits between tries.
    db.pragma(`busy_timeout = ${BLOCKING_WAIT_MS}`);
    const identity = FileIdentity.of(this.file);
    if (!identity) {
      db.close();
      holders.leave();
      throw new StateUnavailableError('state store: open failed (the database file was removed as it was opened)');
    }
    const quarantine = (table: 'records' | 'queue', key: string, raw: string, reason: string) =>
      this.quarantine(db, table, key, raw, reason);
    this.current = {
      db,
      holders,
      identity,
      records: new RecordsTable(db, this.now, quarantine),
      outbox: new QueueTable(db, 'outbox', this.now, quarantine),
    };
    return this.current;
  }

  private quarantine(db: Database.Database, table: 'records' | 'queue', key: string, raw: string, reason: string) {
    const subject = table === 'records' ? 'record' : 'outbox item';
    const where = whereOf(key);
    const label = labelOf(subject, where);
    // Setting aside is rare, and waits for the lock as long as the store does (in SQLite): a read
    // that met the row cannot try again later, as the row may be written anew by then.
    db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    try {
      db.transaction(() => {
        db.prepare('INSERT INTO quarantine (key, value, reason, at) VALUES (?, ?, ?, ?)').run(
          table === 'records' ? key : `outbox:${key}`,
          raw,
          reason,
          Date.now(),
        );
        // Only the row as it was read: another process may have written the key anew since (its
        // write waited for no lock of this read), and that write stays.
        if (table === 'records') db.prepare('DELETE FROM records WHERE key = ? AND value = ?').run(key, raw);
        else db.prepare("DELETE FROM queue WHERE name = 'outbox' AND id = ? AND payload = ?").run(key, raw);
      })();
      const keptAs = 'the quarantine table';
      this.problems.add({ subject, where, key, reason, keptAs, text: `${label}: ${reason}; moved to ${keptAs}` });
      return true;
    } catch {
      // Said once (StoreProblems remembers it by the whole key, so two keys alike in their first 80
      // characters are two rows): every read of the row meets it again until it can be set aside.
      this.problems.add({ subject, where, key, reason, text: `${label}: ${reason}; it could not be set aside yet` });
      return false;
    } finally {
      db.pragma(`busy_timeout = ${BLOCKING_WAIT_MS}`);
    }
  }
}
