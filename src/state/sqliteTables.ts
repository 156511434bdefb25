// The tables of the SQLite state store and the statements on them, synchronous (better-sqlite3):
// sqlite.ts opens the database and turns every failure into a StateUnavailableError.

import Database from 'better-sqlite3';
import { randomInt, randomUUID } from 'node:crypto';
import { CreateExpiry, Entry, Expiry, Lease } from './port';

export const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL, expires_at INTEGER
  );
  CREATE INDEX IF NOT EXISTS records_expiry ON records (expires_at) WHERE expires_at IS NOT NULL;
  CREATE TABLE IF NOT EXISTS queue (
    name TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL, due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, receipt TEXT, PRIMARY KEY (name, id)
  );
  CREATE INDEX IF NOT EXISTS queue_due ON queue (name, due_at);
  CREATE TABLE IF NOT EXISTS quarantine (
    key TEXT NOT NULL, value TEXT, reason TEXT NOT NULL, at INTEGER NOT NULL
  );
`;

/** Moves an unreadable row to the quarantine table (kept, never deleted) and reports it: false
 * when it could not (the row then stays where it is). Never throws. */
export type Quarantine = (table: 'records' | 'queue', key: string, raw: string, reason: string) => boolean;

interface Row {
  readonly value: string;
  readonly version: number;
}

/** Every write of a record takes a fresh random version (one of 2^48), so a version does not come
 * back for a key: not after an update, and not after a delete and a create again (a
 * compare-and-swap that read a version before the delete must lose, as it would against an Azure
 * ETag). The chance that a write draws the very version a waiting compare-and-swap holds is one in
 * 2.8e14. A database-wide counter would make that chance zero but costs every write a second
 * statement and a transaction (about 45% more time per write, measured); one write per record is
 * what the turn's de-duplication record pays. Versions are passed around as opaque strings. */
export class RecordsTable {
  private readonly select: Database.Statement<[string, number], Row>;
  private readonly insert: Database.Statement<[string, string, number, number | null, number], { version: number }>;
  private readonly update: Database.Statement<[string, number | null, number, string, number, number]>;
  private readonly updateKeeping: Database.Statement<[string, number, string, number, number]>;
  private readonly upsert: Database.Statement<[string, string, number, number | null]>;
  private readonly upsertKeeping: Database.Statement<[string, string, number, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly removeAt: Database.Statement<[string, number]>;
  private readonly removeExpired: Database.Statement<[number, number]>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
    private readonly quarantine: Quarantine,
  ) {
    this.select = db.prepare(
      'SELECT value, version FROM records WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
    );
    // An expired row counts as absent: create takes its place.
    this.insert = db.prepare(`
      INSERT INTO records (key, value, version, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version,
        expires_at = excluded.expires_at
      WHERE records.expires_at IS NOT NULL AND records.expires_at <= ?
      RETURNING version`);
    // A row that expired meanwhile is gone (its version no longer names a live record), as `get`
    // would say: a replace never revives it.
    this.update = db.prepare(`
      UPDATE records SET value = ?, expires_at = ?, version = ?
      WHERE key = ? AND version = ? AND (expires_at IS NULL OR expires_at > ?)`);
    // Keeping the expiry: the row's own, in the same statement.
    this.updateKeeping = db.prepare(`
      UPDATE records SET value = ?, version = ?
      WHERE key = ? AND version = ? AND (expires_at IS NULL OR expires_at > ?)`);
    this.upsert = db.prepare(`
      INSERT INTO records (key, value, version, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version,
        expires_at = excluded.expires_at`);
    // An expired row counts as absent, so it has no expiry to keep: the new one has none (keeping
    // a past expiry would make the write absent the moment it is made).
    this.upsertKeeping = db.prepare(`
      INSERT INTO records (key, value, version, expires_at) VALUES (?, ?, ?, NULL)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version,
        expires_at = CASE WHEN records.expires_at > ? THEN records.expires_at ELSE NULL END`);
    this.remove = db.prepare('DELETE FROM records WHERE key = ?');
    this.removeAt = db.prepare('DELETE FROM records WHERE key = ? AND version = ?');
    // The partial index keeps this to the expired rows themselves, however many live ones there are.
    this.removeExpired = db.prepare(`
      DELETE FROM records WHERE key IN (
        SELECT key FROM records WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)`);
  }

  get<T>(key: string): Entry<T> | null {
    const row = this.select.get(key, this.now());
    if (!row) return null;
    try {
      return { value: JSON.parse(row.value) as T, version: String(row.version) };
    } catch {
      this.quarantine('records', key, row.value, 'its value is not JSON');
      return null;
    }
  }

  create<T>(key: string, value: T, expiry: CreateExpiry): string | null {
    const now = this.now();
    const body = JSON.stringify(value);
    // A commit made with NORMAL is on disk at the next FULL commit or checkpoint
    // (https://www.sqlite.org/pragma.html#pragma_synchronous): the setting is the connection's, so
    // FULL comes back right after the one write that asked for less (Ttl.syncToDisk). Compiled
    // each time: SQLite applies this pragma when a statement is compiled, not when it runs, so a
    // statement prepared once would change nothing. With db.exec, which builds no statement object
    // nor result rows as db.pragma does (2 against 9 us of CPU for the two, measured). Never inside
    // a transaction (SQLite refuses it there); create is one statement of its own.
    const later = expiry !== 'none' && expiry.syncToDisk === false;
    if (later) this.db.exec('PRAGMA synchronous = NORMAL');
    try {
      // No row comes back when a live record holds the key (the conflict's WHERE left it alone).
      const row = this.insert.get(key, body, freshVersion(), expiresAt(now, expiry), now);
      return row ? String(row.version) : null;
    } finally {
      if (later) this.db.exec('PRAGMA synchronous = FULL');
    }
  }

  replace<T>(key: string, value: T, version: string, expiry: Expiry): string | null {
    const at = versionNumber(version);
    if (at === null) return null;
    const body = JSON.stringify(value);
    const next = freshVersion();
    const changes =
      expiry === 'keep'
        ? this.updateKeeping.run(body, next, key, at, this.now()).changes
        : this.update.run(body, expiresAt(this.now(), expiry), next, key, at, this.now()).changes;
    return changes === 0 ? null : String(next);
  }

  put<T>(key: string, value: T, expiry: Expiry): string {
    const body = JSON.stringify(value);
    const version = freshVersion();
    if (expiry === 'keep') this.upsertKeeping.run(key, body, version, this.now());
    else this.upsert.run(key, body, version, expiresAt(this.now(), expiry));
    return String(version);
  }

  delete(key: string, version?: string): boolean {
    if (version === undefined) return this.remove.run(key).changes > 0;
    const at = versionNumber(version);
    return at !== null && this.removeAt.run(key, at).changes > 0;
  }

  /** Deletes at most `limit` expired rows; how many it deleted. */
  sweep(limit: number): number {
    return this.removeExpired.run(this.now(), limit).changes;
  }
}

/** A version for a write: a random safe integer (crypto.randomInt's widest range, 2^48). */
const freshVersion = (): number => randomInt(1, 2 ** 48);

/** The number of a version as this table writes it (decimal digits, a safe integer), or null for
 * any other string: such a version matches no row. */
function versionNumber(version: string): number | null {
  const at = /^[0-9]{1,16}$/.test(version) ? Number(version) : NaN;
  return Number.isSafeInteger(at) ? at : null;
}

/** The stored expiry (epoch ms) of a write that sets one, or null for none. */
function expiresAt(now: number, expiry: CreateExpiry): number | null {
  return expiry === 'none' ? null : now + expiry.ttlMs;
}

interface QueueRow {
  readonly id: string;
  readonly payload: string;
  readonly attempts: number;
  readonly receipt: string;
}

export class QueueTable<T> {
  private readonly add: Database.Statement<[string, string, string, number]>;
  private readonly take: Database.Statement<[number, string, string, string, number], QueueRow>;
  private readonly renew: Database.Statement<[number, string, string, string]>;
  private readonly done: Database.Statement<[string, string, string]>;
  private readonly giveBack: Database.Statement<[number, string, string, string]>;
  private readonly count: Database.Statement<[string], { n: number }>;

  constructor(
    db: Database.Database,
    private readonly name: string,
    private readonly now: () => number,
    private readonly quarantine: Quarantine,
  ) {
    this.add = db.prepare('INSERT OR IGNORE INTO queue (name, id, payload, due_at) VALUES (?, ?, ?, ?)');
    // One statement: the row is chosen and leased atomically, so two instances never take the
    // same item. The lease is the due time moved forward: an item whose holder died is due again.
    this.take = db.prepare(`
      UPDATE queue SET due_at = ?, attempts = attempts + 1, receipt = ?
      WHERE name = ? AND id = (
        SELECT id FROM queue WHERE name = ? AND due_at <= ? ORDER BY due_at, id LIMIT 1
      )
      RETURNING id, payload, attempts, receipt`);
    this.renew = db.prepare('UPDATE queue SET due_at = ? WHERE name = ? AND id = ? AND receipt = ?');
    this.done = db.prepare('DELETE FROM queue WHERE name = ? AND id = ? AND receipt = ?');
    this.giveBack = db.prepare('UPDATE queue SET due_at = ?, receipt = NULL WHERE name = ? AND id = ? AND receipt = ?');
    this.count = db.prepare('SELECT COUNT(*) AS n FROM queue WHERE name = ?');
  }

  enqueue(id: string, payload: T, dueAt?: number): void {
    this.add.run(this.name, id, JSON.stringify(payload), dueAt ?? this.now());
  }

  lease(leaseMs: number): Lease<T> | null {
    for (;;) {
      const now = this.now();
      const row = this.take.get(now + leaseMs, randomUUID(), this.name, this.name, now);
      if (!row) return null;
      try {
        const payload = JSON.parse(row.payload) as T;
        return { id: row.id, payload, attempts: row.attempts, receipt: row.receipt };
      } catch {
        // An unreadable item would fail every lease forever: set it aside and take the next (if
        // it cannot be set aside, it stays leased and so out of the way for this lease's time).
        this.quarantine('queue', row.id, row.payload, 'its payload is not JSON');
      }
    }
  }

  extend(lease: Lease<T>, leaseMs: number): Lease<T> | null {
    return this.renew.run(this.now() + leaseMs, this.name, lease.id, lease.receipt).changes > 0 ? lease : null;
  }

  complete(lease: Lease<T>): boolean {
    return this.done.run(this.name, lease.id, lease.receipt).changes > 0;
  }

  release(lease: Lease<T>, delayMs: number): boolean {
    return this.giveBack.run(this.now() + Math.max(0, delayMs), this.name, lease.id, lease.receipt).changes > 0;
  }

  size(): number {
    return this.count.get(this.name)?.n ?? 0;
  }
}
