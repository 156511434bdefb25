// Which processes have the state database open. Every process that opens `state.db` holds a shared
// lock on a small companion file (`state.db-holders`, an empty SQLite database in rollback-journal
// mode: an open read transaction is a shared lock that lasts until it ends, or until the process
// dies) for as long as it has the database open. Only a process that gets the exclusive lock on
// it, which nobody else can while any other process holds its shared one, may set a damaged
// database aside.
//
// Why: a process keeps its open database across a rename. Setting the file aside while another
// process has it open would leave that process accepting events and taking claims in the file set
// aside, unseen by the fresh one: two databases on one machine (an event accepted and never sent,
// a card sent twice). SQLite's own locks on the database cannot answer "is it open elsewhere"
// once its header is damaged (opening fails before any lock can be asked for), hence a file of
// its own. SQLite keeps the locks (POSIX locks, also between connections of one process), so no
// stray file handle of ours can drop them.
//
// A damaged companion file is never replaced by the bot: a process still holding the old one would
// lose its place among the holders, and a damaged database could then be set aside under it. The
// error says which file it is and what the operator does about it.

import Database from 'better-sqlite3';
import * as path from 'node:path';
import { StateUnavailableError } from './port';

export type Alone<R> = { readonly ran: true; readonly value: R } | { readonly ran: false };

/** The companion file is not a database (SQLite's own codes for that). */
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/** The companion file is damaged: nothing is stored until the operator deletes it. The message
 * names the file by its own name only (never a directory) and says what to do. */
export class DamagedHoldersError extends StateUnavailableError {
  constructor(
    readonly fileName: string,
    readonly code: string,
    cause: unknown,
  ) {
    super(
      `state store: open failed (${code}): ${fileName}, the lock file beside the state database, is ` +
        'damaged or not a database, and it is not replaced while bot processes may hold it: stop ' +
        `every Governance Bot process using this state directory, delete ${fileName}, then start ` +
        'them again',
      { cause },
    );
  }
}

export class Holders {
  private constructor(
    private readonly db: Database.Database,
    private readonly busyTimeoutMs: number,
  ) {}

  /** Joins the holders of `databaseFile` (waiting up to `busyTimeoutMs` while one of them is
   * setting a damaged file aside). Throws when the companion file cannot be opened or read. */
  static join(databaseFile: string, busyTimeoutMs: number): Holders {
    const file = `${databaseFile}-holders`;
    const db = new Database(file, { timeout: busyTimeoutMs });
    const holders = new Holders(db, busyTimeoutMs);
    try {
      holders.share();
      return holders;
    } catch (e) {
      db.close();
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && DAMAGED.has(code)) throw new DamagedHoldersError(path.basename(file), code, e);
      throw e;
    }
  }

  /** Runs `work` only while no other process holds the database open (`ran: false` when one
   * does), and holds it again afterwards. Never waits for the others: they may hold it for days. */
  alone<R>(work: () => R): Alone<R> {
    this.db.exec('COMMIT');
    try {
      this.db.pragma('busy_timeout = 0');
      try {
        // In rollback-journal mode the exclusive lock is granted only when no shared lock is held.
        this.db.exec('BEGIN EXCLUSIVE');
      } catch (e) {
        if ((e as { code?: unknown } | null)?.code === 'SQLITE_BUSY') return { ran: false };
        throw e;
      } finally {
        this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
      }
      try {
        return { ran: true, value: work() };
      } finally {
        this.db.exec('COMMIT');
      }
    } finally {
      this.share();
    }
  }

  /** Leaves the holders (the database is closed). */
  leave(): void {
    if (this.db.open) this.db.close();
  }

  /** Holds the shared lock: a read inside a transaction keeps it until the transaction ends. */
  private share(): void {
    this.db.exec('BEGIN');
    this.db.prepare('SELECT count(*) FROM sqlite_master').get();
  }
}
