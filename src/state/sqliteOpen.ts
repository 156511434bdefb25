// Opening the SQLite state database (sqlite.ts) as one of its holders: a damaged write-ahead log
// is reported and kept, a damaged database set aside and a fresh one started, and every failure
// is a StateUnavailableError that names no path.

import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateUnavailableError } from './port';
import { StoreProblems } from './problems';
import { DamagedHoldersError, Holders } from './sqliteHolders';
import { SCHEMA } from './sqliteTables';
import { keepDamagedLog } from './sqliteWal';

/** SQLite codes that mean the file itself is damaged or not a database. */
export const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/** Opens (creating) the database, as one of its holders; a damaged file is set aside and a fresh
 * one started when no other process has it open. Throws a StateUnavailableError that names no path
 * when the file cannot be opened or created, or is damaged and still open elsewhere. */
export function openDatabase(
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

export function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

/** The message names the operation and the SQLite or system code only: never a path. The cause
 * (which may name the file) stays attached for the operator's log. */
export function unavailable(what: string, e: unknown): StateUnavailableError {
  return new StateUnavailableError(`state store: ${what} failed (${codeOf(e).replace(/[^A-Z0-9_]/gi, '')})`, {
    cause: e,
  });
}
