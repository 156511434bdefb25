// The state port on one machine: one SQLite database (better-sqlite3, WAL) in STATE_DIRECTORY.
// Several bot processes on the same machine share it safely: every operation is one statement or
// one short transaction, and SQLite's own locking (busy_timeout) orders writers. A row whose JSON
// cannot be read is moved to a quarantine table and reported; a database file that is not a
// database is set aside whole and a fresh one started, so one bad byte never stops the bot.

import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Entry, Lease, Records, StatePort, StateUnavailableError, WorkQueue, WriteOptions } from './port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL, expires_at INTEGER
  );
  CREATE TABLE IF NOT EXISTS queue (
    name TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL, due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, receipt TEXT, PRIMARY KEY (name, id)
  );
  CREATE INDEX IF NOT EXISTS queue_due ON queue (name, due_at);
  CREATE TABLE IF NOT EXISTS quarantine (
    key TEXT NOT NULL, value TEXT, reason TEXT NOT NULL, at INTEGER NOT NULL
  );
`;

/** SQLite codes that mean the file itself is damaged or not a database. */
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

export interface SqliteOptions {
  readonly now?: () => number;
  /** How long a writer waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
}

export class SqliteState implements StatePort {
  readonly records: Records;
  readonly outbox: WorkQueue<{ readonly eventId: string }>;
  private readonly db: Database.Database;
  private readonly problems: string[] = [];

  constructor(
    readonly file: string,
    options: SqliteOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.db = openDatabase(file, options.busyTimeoutMs ?? 5000, this.problems);
    const guard = <T>(what: string, work: () => T): Promise<T> => {
      try {
        return Promise.resolve(work());
      } catch (e) {
        return Promise.reject(unavailable(what, e));
      }
    };
    this.records = new SqliteRecords(this.db, now, guard, (key, raw, reason) => this.quarantine(key, raw, reason));
    this.outbox = new SqliteQueue(this.db, 'outbox', now, guard);
  }

  quarantined(): readonly string[] {
    return [...this.problems];
  }

  async check(): Promise<void> {
    try {
      this.db.prepare('BEGIN IMMEDIATE').run();
      this.db.prepare('ROLLBACK').run();
    } catch (e) {
      throw unavailable('check', e);
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private quarantine(key: string, raw: string | null, reason: string): void {
    this.problems.push(`record ${JSON.stringify(key.slice(0, 80))}: ${reason}`);
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO quarantine (key, value, reason, at) VALUES (?, ?, ?, ?)')
        .run(key, raw, reason, Date.now());
      this.db.prepare('DELETE FROM records WHERE key = ?').run(key);
    })();
  }
}

function openDatabase(file: string, busyTimeoutMs: number, problems: string[]): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const open = (): Database.Database => {
    const db = new Database(file, { timeout: busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL is durable against a process crash (the case that matters for
    // "accepted means stored"); FULL would add an fsync per commit for power loss only.
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    return db;
  };
  try {
    return open();
  } catch (e) {
    if (!DAMAGED.has((e as { code?: string }).code ?? '')) throw unavailable('open', e);
    // A damaged file is kept for inspection, never deleted, and the bot starts on a fresh one.
    const aside = `${file}.corrupt-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
    }
    problems.push(`the state database was damaged and set aside as ${path.basename(aside)}`);
    return open();
  }
}

function unavailable(what: string, e: unknown): StateUnavailableError {
  const code = (e as { code?: string } | null)?.code ?? 'unknown';
  return new StateUnavailableError(`state store: ${what} failed (${code})`, { cause: e });
}

type Guard = <T>(what: string, work: () => T) => Promise<T>;

interface Row {
  readonly value: string;
  readonly version: number;
}

class SqliteRecords implements Records {
  private readonly select: Database.Statement<[string, number], Row>;
  private readonly insert: Database.Statement<[string, string, number | null, number]>;
  private readonly update: Database.Statement<[string, number | null, string, number]>;
  private readonly upsert: Database.Statement<[string, string, number | null], { version: number }>;
  private readonly remove: Database.Statement<[string]>;
  private readonly removeAt: Database.Statement<[string, number]>;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
    private readonly guard: Guard,
    private readonly quarantine: (key: string, raw: string | null, reason: string) => void,
  ) {
    this.select = db.prepare(
      'SELECT value, version FROM records WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
    );
    // An expired row counts as absent: create takes its place.
    this.insert = db.prepare(`
      INSERT INTO records (key, value, version, expires_at) VALUES (?, ?, 1, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = records.version + 1,
        expires_at = excluded.expires_at
      WHERE records.expires_at IS NOT NULL AND records.expires_at <= ?`);
    this.update = db.prepare(
      'UPDATE records SET value = ?, expires_at = ?, version = version + 1 WHERE key = ? AND version = ?',
    );
    this.upsert = db.prepare(`
      INSERT INTO records (key, value, version, expires_at) VALUES (?, ?, 1, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = records.version + 1,
        expires_at = excluded.expires_at
      RETURNING version`);
    this.remove = db.prepare('DELETE FROM records WHERE key = ?');
    this.removeAt = db.prepare('DELETE FROM records WHERE key = ? AND version = ?');
  }

  get<T>(key: string): Promise<Entry<T> | null> {
    return this.guard('read', () => {
      const row = this.select.get(key, this.now());
      if (!row) return null;
      try {
        return { value: JSON.parse(row.value) as T, version: String(row.version) };
      } catch {
        this.quarantine(key, row.value, 'its value is not JSON');
        return null;
      }
    });
  }

  create<T>(key: string, value: T, options?: WriteOptions): Promise<string | null> {
    return this.guard('create', () => {
      const now = this.now();
      const changed = this.insert.run(key, JSON.stringify(value), expiry(now, options), now).changes;
      if (changed === 0) return null;
      return String(this.select.get(key, now)?.version ?? 1);
    });
  }

  replace<T>(key: string, value: T, version: string, options?: WriteOptions): Promise<string | null> {
    return this.guard('replace', () => {
      const at = Number(version);
      if (!Number.isSafeInteger(at)) return null;
      const changed = this.update.run(JSON.stringify(value), expiry(this.now(), options), key, at).changes;
      return changed === 0 ? null : String(at + 1);
    });
  }

  put<T>(key: string, value: T, options?: WriteOptions): Promise<string> {
    return this.guard('put', () => {
      const row = this.upsert.get(key, JSON.stringify(value), expiry(this.now(), options));
      return String(row?.version ?? 1);
    });
  }

  delete(key: string, version?: string): Promise<boolean> {
    return this.guard('delete', () => {
      if (version === undefined) return this.remove.run(key).changes > 0;
      const at = Number(version);
      return Number.isSafeInteger(at) && this.removeAt.run(key, at).changes > 0;
    });
  }
}

function expiry(now: number, options: WriteOptions | undefined): number | null {
  return options?.ttlMs !== undefined ? now + options.ttlMs : null;
}

interface QueueRow {
  readonly id: string;
  readonly payload: string;
  readonly attempts: number;
  readonly receipt: string;
}

class SqliteQueue<T> implements WorkQueue<T> {
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
    private readonly guard: Guard,
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

  enqueue(id: string, payload: T, dueAt?: number): Promise<void> {
    return this.guard('enqueue', () => {
      this.add.run(this.name, id, JSON.stringify(payload), dueAt ?? this.now());
    });
  }

  lease(leaseMs: number): Promise<Lease<T> | null> {
    return this.guard('lease', () => {
      const now = this.now();
      const row = this.take.get(now + leaseMs, randomUUID(), this.name, this.name, now);
      if (!row) return null;
      return { id: row.id, payload: JSON.parse(row.payload) as T, attempts: row.attempts, receipt: row.receipt };
    });
  }

  extend(lease: Lease<T>, leaseMs: number): Promise<Lease<T> | null> {
    return this.guard('extend', () =>
      this.renew.run(this.now() + leaseMs, this.name, lease.id, lease.receipt).changes > 0 ? lease : null,
    );
  }

  complete(lease: Lease<T>): Promise<boolean> {
    return this.guard('complete', () => this.done.run(this.name, lease.id, lease.receipt).changes > 0);
  }

  release(lease: Lease<T>, delayMs: number): Promise<boolean> {
    return this.guard(
      'release',
      () => this.giveBack.run(this.now() + Math.max(0, delayMs), this.name, lease.id, lease.receipt).changes > 0,
    );
  }

  size(): Promise<number> {
    return this.guard('size', () => this.count.get(this.name)?.n ?? 0);
  }
}
