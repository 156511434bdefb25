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

import Database from 'better-sqlite3';

export type Alone<R> = { readonly ran: true; readonly value: R } | { readonly ran: false };

export class Holders {
  private constructor(
    private readonly db: Database.Database,
    private readonly busyTimeoutMs: number,
  ) {}

  /** Joins the holders of `databaseFile` (waiting up to `busyTimeoutMs` while one of them is
   * setting a damaged file aside). Throws when the companion file cannot be opened or read. */
  static join(databaseFile: string, busyTimeoutMs: number): Holders {
    const db = new Database(`${databaseFile}-holders`, { timeout: busyTimeoutMs });
    const holders = new Holders(db, busyTimeoutMs);
    try {
      holders.share();
      return holders;
    } catch (e) {
      db.close();
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
