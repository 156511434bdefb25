// The state port on one machine: one SQLite database (better-sqlite3, WAL) in STATE_DIRECTORY.
// Several bot processes on the same machine share it safely: every operation is one statement or
// one short transaction, and SQLite's own locking (busy_timeout) orders writers. A row whose JSON
// cannot be read is moved to a quarantine table and reported; a database file that is not a
// database is set aside whole and a fresh one started, so one bad byte never stops the bot. A
// database that cannot be opened at all (an unwritable directory) does not stop it either: every
// operation fails with StateUnavailableError (callers answer 503) and opening is tried again on
// the next one, so fixing the directory needs no restart.

import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateExpiry, Entry, Expiry, Lease, Records, StatePort, StateUnavailableError, WorkQueue } from './port';
import { ProblemLimits, ProblemWatcher, StoreProblems, UnlistedWatcher, labelOf, whereOf } from './problems';
import { DamagedHoldersError, Holders } from './sqliteHolders';
import { QueueTable, RecordsTable, SCHEMA } from './sqliteTables';
import { keepDamagedLog } from './sqliteWal';

/** SQLite codes that mean the file itself is damaged or not a database. */
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

export interface SqliteOptions {
  readonly now?: () => number;
  /** How long a writer waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
  /** How much of its problems the store remembers and how fast it tells of them (tests). */
  readonly problemLimits?: Partial<ProblemLimits>;
}

interface Open {
  readonly db: Database.Database;
  /** This process among those that have the file open, as long as `db` is open. */
  readonly holders: Holders;
  readonly records: RecordsTable;
  readonly outbox: QueueTable<{ readonly eventId: string }>;
}

/** Rows deleted per statement by the sweep. */
const SWEEP_BATCH = 500;

export class SqliteState implements StatePort {
  readonly records: Records;
  readonly outbox: WorkQueue<{ readonly eventId: string }>;
  private readonly problems: StoreProblems;
  readonly now: () => number;
  private readonly busyTimeoutMs: number;
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
    try {
      const { db } = this.opened();
      db.prepare('BEGIN IMMEDIATE').run();
      db.prepare('ROLLBACK').run();
    } catch (e) {
      throw this.failed('check', e);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.letGo();
    this.problems.flush();
  }

  /** One synchronous operation on the open database; every failure a StateUnavailableError. */
  private run<R>(what: string, work: (open: Open) => R): Promise<R> {
    try {
      return Promise.resolve(work(this.opened()));
    } catch (e) {
      return Promise.reject(this.failed(what, e));
    }
  }

  /** The error to report. A database found damaged is let go of, so that it is opened again by
   * the next operation: once every process has let go of it, the first to open it sets it aside
   * and the others follow onto the fresh file (a process whose cache still hides the damage keeps
   * it, and with it the others out: see openDatabase). */
  private failed(what: string, e: unknown): StateUnavailableError {
    if (DAMAGED.has(codeOf(e))) this.letGo();
    return e instanceof StateUnavailableError ? e : unavailable(what, e);
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
    const quarantine = (table: 'records' | 'queue', key: string, raw: string, reason: string) =>
      this.quarantine(db, table, key, raw, reason);
    this.current = {
      db,
      holders,
      records: new RecordsTable(db, this.now, quarantine),
      outbox: new QueueTable(db, 'outbox', this.now, quarantine),
    };
    return this.current;
  }

  private quarantine(db: Database.Database, table: 'records' | 'queue', key: string, raw: string, reason: string) {
    const subject = table === 'records' ? 'record' : 'outbox item';
    const where = whereOf(key);
    const label = labelOf(subject, where);
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
    }
  }
}

/** Opens (creating) the database, as one of its holders; a damaged file is set aside and a fresh
 * one started when no other process has it open. Throws a StateUnavailableError that names no path
 * when the file cannot be opened or created, or is damaged and still open elsewhere. */
function openDatabase(
  file: string,
  busyTimeoutMs: number,
  problems: StoreProblems,
): { db: Database.Database; holders: Holders } {
  const open = (): Database.Database => {
    const db = new Database(file, { timeout: busyTimeoutMs });
    try {
      db.pragma('journal_mode = WAL');
      // FULL: the log is synced on every commit, so what a caller is told is stored (the intake's
      // 202, a click's claim) survives a power loss or an OS crash too. With NORMAL a WAL commit
      // "might roll back following a power loss or system crash"
      // (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html).
      // Set after WAL: better-sqlite3 builds SQLite with NORMAL as the WAL default.
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  };
  let holders: Holders | null = null;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Joined before opening, so a process that finds the file damaged sees every process that has
    // it open, or is about to.
    holders = Holders.join(file, busyTimeoutMs);
    // A log left by a process that did not close, read before SQLite's recovery drops its damaged
    // part unseen; while another process has the database open, the log is its, and sound.
    // A log that cannot be checked (too big to read at once, unreadable, no room for its copy) is
    // noted and opened all the same: the check must never keep the bot from its state.
    holders.alone(() => {
      try {
        keepDamagedLog(file, problems);
      } catch (e) {
        const reason = `it could not be checked for damage (${codeOf(e)})`;
        const text = `the state database's write-ahead log could not be checked for damage (${codeOf(e)})`;
        problems.add({ subject: 'write-ahead log', reason, text });
      }
    });
    try {
      return { db: open(), holders };
    } catch (e) {
      if (!DAMAGED.has(codeOf(e))) throw e;
      const fresh = holders.alone(() => {
        // A damaged file is kept for inspection, never deleted, and the bot starts on a fresh one.
        const aside = `${file}.corrupt-${Date.now()}`;
        for (const suffix of ['', '-wal', '-shm']) {
          if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
        }
        const keptAs = path.basename(aside);
        problems.add({
          subject: 'database',
          reason: 'it is damaged or not a database',
          keptAs,
          text: `the state database was damaged and set aside as ${keptAs}`,
        });
        return open();
      });
      if (fresh.ran) return { db: fresh.value, holders };
      // Another process still writes to this file: a fresh one here would split the processes
      // onto two databases, so nothing is stored until they have all let go of it.
      throw new StateUnavailableError(
        `state store: open failed (${codeOf(e)}): the database file is damaged and another bot ` +
          'process on this machine still has it open, so it is not set aside; stop every bot ' +
          'process on this machine, then start them again: the first to start sets it aside',
        { cause: e },
      );
    }
  } catch (e) {
    holders?.leave();
    // Told once (the same problem is remembered), however many operations meet it.
    if (e instanceof DamagedHoldersError)
      problems.add({ subject: 'lock file', reason: `it is damaged or not a database (${e.code})`, text: e.message });
    throw e instanceof StateUnavailableError ? e : unavailable('open', e);
  }
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

/** The message names the operation and the SQLite or system code only: never a path. The cause
 * (which may name the file) stays attached for the operator's log. */
function unavailable(what: string, e: unknown): StateUnavailableError {
  return new StateUnavailableError(`state store: ${what} failed (${codeOf(e).replace(/[^A-Z0-9_]/gi, '')})`, {
    cause: e,
  });
}
