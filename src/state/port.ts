// The state port: the one narrow interface every piece of durable state goes through (card
// claims, notification records, the outbox, conversation references, pending sign-ins, turn
// de-duplication). Two adapters implement it: SQLite on one machine (sqlite.ts) and Azure Storage
// for several (Blob with ETags for records, Queue Storage for the outbox). No other code knows
// which one it has. Values are plain JSON; nothing here knows botbuilder.

import type { ProblemWatcher, UnlistedWatcher } from './problems';

/** The store cannot be read or written (corrupt, unwritable, unreachable). Callers answer 503 or
 * an honest error; they never report as done what was not stored. The message is safe to log but
 * never shown to users (it may name a file). */
export class StateUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateUnavailableError';
  }
}

/** A stored value and the version that a conditional write must name. */
export interface Entry<T> {
  readonly value: T;
  readonly version: string;
}

/** The record keeps living this many milliseconds after the write, then counts as absent (until
 * swept): sign-ins, de-duplication, claims, notification records kept for a while. */
export interface Ttl {
  readonly ttlMs: number;
  /** `false` only for a record whose loss to a power cut or an OS crash tells no one anything
   * untrue (a turn's redelivery marker): the SQLite store then commits it without waiting for the
   * disk, as every command turn writes one. Every other write is on disk before it returns. */
  readonly syncToDisk?: false;
}

/** What a write that makes a record does to its expiry: a lifetime from now, or `'none'` (it lives
 * until deleted). No default: a writer that forgets it does not compile. */
export type CreateExpiry = Ttl | 'none';

/** What a write over a record does to its expiry: a new lifetime from now, `'none'` (from now on
 * it lives until deleted, whatever it had), or `'keep'` (the expiry it has stays as it is: a
 * record with a retention keeps it; one without stays without). A record that is absent or
 * expired has no expiry to keep: `put` with `'keep'` writes it without one. */
export type Expiry = CreateExpiry | 'keep';

/** Records with optimistic concurrency. Keys are at most 512 characters of any text. */
export interface Records {
  /** The entry, or null when absent or expired. */
  get<T>(key: string): Promise<Entry<T> | null>;
  /** Writes only when the key is absent (or expired): its version, or null when it exists. */
  create<T>(key: string, value: T, expiry: CreateExpiry): Promise<string | null>;
  /** Writes only when the stored version is `version`: the new version, or null when it is not
   * (changed by someone else, or gone). With `'keep'`, a record that expired since it was read
   * counts as gone. */
  replace<T>(key: string, value: T, version: string, expiry: Expiry): Promise<string | null>;
  /** Writes unconditionally: the new version. */
  put<T>(key: string, value: T, expiry: Expiry): Promise<string>;
  /** Deletes (only at `version` when given): true when something was deleted. */
  delete(key: string, version?: string): Promise<boolean>;
}

/** One leased item of a queue. `attempts` counts leases, this one included. */
export interface Lease<T> {
  readonly id: string;
  readonly payload: T;
  readonly attempts: number;
  /** Opaque proof of holding the lease; stale after the lease expires and someone else takes it. */
  readonly receipt: string;
  /** Which stored copy of the id this is, the same on every lease of it, where a store may hold
   * several copies of one id (Azure Queue Storage: the message id); absent where it cannot (SQLite). */
  readonly copy?: string;
}

/** A durable work queue where every item is worked on under a lease: an item leased by one
 * instance is invisible to the others until its lease ends, so N instances take it once. */
export interface WorkQueue<T> {
  /** Adds an item, due at `dueAt` (epoch ms; now when omitted). Adding an id that is queued is a
   * no-op where the store can tell (SQLite); consumers still tolerate a duplicate (Azure). */
  enqueue(id: string, payload: T, dueAt?: number): Promise<void>;
  /** Atomically takes the next due item for `leaseMs`, or null when none is due. */
  lease(leaseMs: number): Promise<Lease<T> | null>;
  /** Renews a lease still held: the renewed lease, or null when it was lost. */
  extend(lease: Lease<T>, leaseMs: number): Promise<Lease<T> | null>;
  /** Removes the item for good: false when the lease was lost meanwhile. */
  complete(lease: Lease<T>): Promise<boolean>;
  /** Gives the item back, due again after `delayMs`: false when the lease was lost meanwhile. */
  release(lease: Lease<T>, delayMs: number): Promise<boolean>;
  /** How many items are waiting or leased (readiness and tests). */
  size(): Promise<number>;
}

export interface StatePort {
  readonly records: Records;
  /** The notification outbox. */
  readonly outbox: WorkQueue<{ readonly eventId: string }>;
  /** The clock that stored times are written and judged by (expiry, leases and due times kept in
   * values): one that every instance sharing the store agrees on. On SQLite (one machine) the
   * machine's; on Azure Storage the storage's own, so machines' clocks need not agree. */
  readonly now: () => number;
  /** How many problems were met since the store was made (one met again while the store still
   * remembers it, the last 4,096 distinct ones, counted once): /readyz's count. */
  problemCount(): number;
  /** Tells `watcher` of the latest problems met so far, then of each new one once, as it is met (a
   * record set aside by a read long after start included), for the operator's log; at most 100 a
   * minute are told one by one, and `unlisted` is told how many more were met (and of those met
   * before it watched and no longer kept); the returned function stops that. */
  watchProblems(watcher: ProblemWatcher, unlisted?: UnlistedWatcher): () => void;
  /** Is the store reachable and writable right now? (/readyz) */
  check(): Promise<void>;
  /** Deletes expired records, at most `limit` per call; how many it deleted. Expiry is judged on
   * read, so a record never read again (a turn's de-duplication marker, an abandoned sign-in)
   * stays until swept: the periodic pass calls this. Once `stop` aborts (the pass lost its row, or
   * shutdown, when the store is about to close) it starts no further delete and answers how many
   * it deleted, without an error; what it left is swept by a later call. */
  sweepExpired(limit?: number, stop?: AbortSignal): Promise<number>;
  close(): Promise<void>;
}
