// The write-behind queue of captured conversation references: the latest capture per key waits a
// short delay, then is written. A write that fails is not dropped: without it the recipient is
// undeliverable until they write to the bot again, and the failing write is often the install's,
// after which the person may never write. It goes back to the queue (a newer capture of the same
// key, if one came meanwhile, wins and carries the retry on) and is retried with backoff, until
// RETRY_FOR_MS after its first failure. Writes of one key never overlap (an older write cannot land
// after a newer one), and a key dropped (forgotten) is never written or queued again by a capture
// made before the drop.

import { ReferenceWriteError, abandoned, notWritten, retrying } from './referenceWriteErrors';
import { SeqMarks } from './seqMarks';

/** How long a failing write keeps being retried, counted from its first failure. Bounded by age
 * rather than attempts because what it rides out is an outage of the store (throttling, a
 * failover, a busy SQLite file), which lasts a time, not a number of tries; ten minutes covers
 * those, and past that the store is down (the readiness probe says so), the next capture of the
 * conversation queues the reference again anyway, and more retries only add load and log lines. */
const RETRY_FOR_MS = 10 * 60_000;
/** The first retry's delay; each next one doubles, up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** At most this many writes at once per flush: a shutdown flush of a few hundred keys ends within
 * its deadline at store latencies of tens of ms, without a burst the store would throttle. */
export const WRITE_CONCURRENCY = 8;

export interface RetryPolicy {
  readonly firstMs: number;
  readonly maxMs: number;
  readonly forMs: number;
}

export interface WriteBehindOptions<T> {
  /** Writes one key; throws when it could not. */
  readonly write: (key: string, value: T) => Promise<void>;
  readonly flushDelayMs: number;
  readonly now: () => number;
  readonly retry?: Partial<RetryPolicy>;
  readonly onError?: (error: ReferenceWriteError) => void;
}

/** What a flush could not write (failed, or still under way at its deadline). */
export interface FlushReport {
  readonly written: number;
  readonly notWritten: number;
}

interface Queued<T> {
  readonly value: T;
  /** Capture order, to tell a capture made before a drop from one made after. */
  readonly seq: number;
  readonly dueAt: number;
  readonly attempts: number;
  readonly firstFailedAt?: number;
}

type Batch<T> = Array<[string, Queued<T>]>;

export class WriteBehind<T> {
  private readonly pending = new Map<string, Queued<T>>();
  /** key -> its write under way (writes of one key run one after the other); true once written
   * (or dropped), false when it failed. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  /** The values being written, or waiting for their key's previous write: what a drop by value
   * (`drop`'s `alsoMatching`) looks at besides the queue. */
  private readonly writing = new Set<{ readonly key: string; readonly value: T }>();
  /** key -> the last capture seq dropped for it: anything captured up to it is never written. */
  private readonly dropped = new SeqMarks();
  /** key -> the newest capture seq written: an older capture a batch took off the queue before an
   * install's immediate write of the same key is then skipped, not written after it. Only a newer
   * capture written counts: when the install's write failed, the older one is what the store can
   * have until the install's retry, which is written after it (writes of one key run in turn). */
  private readonly newestWritten = new SeqMarks();
  private readonly retry: RetryPolicy;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  constructor(private readonly options: WriteBehindOptions<T>) {
    this.retry = { firstMs: RETRY_FIRST_MS, maxMs: RETRY_MAX_MS, forMs: RETRY_FOR_MS, ...options.retry };
  }

  /** The value waiting to be written for `key`, if any. */
  get(key: string): T | undefined {
    return this.pending.get(key)?.value;
  }

  /** Resolves once the write of `key` under way, if any, has ended (written, dropped or failed). */
  async settled(key: string): Promise<void> {
    await this.inFlight.get(key);
  }

  /** Queues the latest value of `key`; a retry waiting for it carries on with this value. */
  queue(key: string, value: T): void {
    const waiting = this.pending.get(key);
    // The first capture's time stands (a busy conversation is still written after the short delay),
    // and so does a retry's backoff.
    const dueAt = waiting?.dueAt ?? this.options.now() + this.options.flushDelayMs;
    this.pending.set(key, { ...retryStateOf(waiting), value, seq: ++this.seq, dueAt });
    this.schedule(dueAt);
  }

  /** Queues the latest value of `key` and writes it at once, not after the delay (an install: rare,
   * and what a notification handled on another instance needs next). Resolves true once written
   * (or dropped meanwhile), false when the write failed: it is then retried like any other. */
  writeNow(key: string, value: T): Promise<boolean> {
    this.queue(key, value);
    const q = this.pending.get(key)!;
    this.pending.delete(key);
    return this.writeOne(key, q);
  }

  /** Writes everything queued now, retries waiting for their backoff included, at most
   * WRITE_CONCURRENCY at once, waits for the writes the timer started before it, and returns by
   * `withinMs` whatever is still under way. What it could not write stays queued (or is still being
   * written); one error says how many. Never throws. */
  async flush(withinMs: number): Promise<FlushReport> {
    const batch: Batch<T> = [...this.pending];
    this.pending.clear();
    // A write the timer started has its key off the queue already. The shutdown closes the store
    // right after this flush, so that write is waited for too, within the same deadline, and
    // counted if still under way. A key of the batch waits for its previous write anyway.
    const queued = new Set(batch.map(([k]) => k));
    const underWay = [...this.inFlight].filter(([k]) => !queued.has(k));
    const result = await this.run(batch, withinMs, underWay);
    this.reschedule();
    if (result.notWritten > 0) {
      this.tell(notWritten(result.keys, result.total));
    }
    return { written: result.written, notWritten: result.notWritten };
  }

  /** Forgets `keys`, and every key whose value queued or being written matches `alsoMatching`:
   * nothing captured so far is written for them any more, and their writes under way have ended
   * when this resolves. Returns every key dropped.
   * That wait has no deadline of its own, on purpose: a write that went on after the caller
   * deletes would bring back what it deletes. Every store call it waits for has its own deadline
   * (SQLite's busy timeout, the Azure calls' abort signal, updateRecord's bounded retries), so a
   * write under way ends, written or failed, within those, even on a store that never answers. */
  async drop(keys: readonly string[], alsoMatching?: (value: T) => boolean): Promise<string[]> {
    const all = new Set(keys);
    if (alsoMatching) {
      for (const [k, q] of this.pending) if (alsoMatching(q.value)) all.add(k);
      for (const w of this.writing) if (alsoMatching(w.value)) all.add(w.key);
    }
    for (const k of all) {
      this.pending.delete(k);
      this.dropped.raise(k, this.seq);
    }
    await Promise.all([...all].map((k) => this.inFlight.get(k)));
    return [...all];
  }

  private schedule(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Infinity;
        void this.writeDue();
      },
      Math.max(0, at - this.options.now()),
    ).unref();
  }

  private reschedule(): void {
    let earliest = Infinity;
    for (const q of this.pending.values()) earliest = Math.min(earliest, q.dueAt);
    if (earliest < Infinity) this.schedule(earliest);
  }

  /** The timer's flush: only what is due (a retry waits for its backoff). */
  private async writeDue(): Promise<void> {
    const now = this.options.now();
    const batch: Batch<T> = [...this.pending].filter(([, q]) => q.dueAt <= now);
    for (const [k] of batch) this.pending.delete(k);
    this.reschedule();
    await this.run(batch, Infinity);
    this.reschedule();
  }

  /** Writes `batch`, WRITE_CONCURRENCY at a time, and waits for the writes `underWay`, for at most
   * `withinMs` (Infinity: until done). */
  private async run(
    batch: Batch<T>,
    withinMs: number,
    underWay: ReadonlyArray<[string, Promise<boolean>]> = [],
  ): Promise<{ total: number; written: number; notWritten: number; keys: string[] }> {
    const queue = [...batch];
    const open = new Set([...batch.map(([k]) => k), ...underWay.map(([k]) => k)]);
    const total = open.size;
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        if (await this.writeOne(next[0], next[1])) open.delete(next[0]);
      }
    };
    const waits = underWay.map(async ([k, done]) => {
      if (await done) open.delete(k);
    });
    const workers = Promise.all([
      ...Array.from({ length: Math.min(WRITE_CONCURRENCY, queue.length) }, worker),
      ...waits,
    ]);
    let timer: NodeJS.Timeout | undefined;
    if (withinMs === Infinity) await workers;
    else await Promise.race([workers, new Promise((r) => (timer = setTimeout(r, Math.max(0, withinMs))))]);
    clearTimeout(timer);
    // Past the deadline: what no worker started goes back to the queue; writes under way go on.
    for (const [k, q] of queue.splice(0)) this.putBack(k, q);
    return { total, written: total - open.size, notWritten: open.size, keys: [...open] };
  }

  /** Writes one key after its previous write; true when written (or dropped meanwhile). */
  private writeOne(key: string, q: Queued<T>): Promise<boolean> {
    const before = this.inFlight.get(key);
    const writing = { key, value: q.value };
    this.writing.add(writing);
    const result = (async (): Promise<boolean> => {
      if (before) await before;
      // Dropped, or a newer capture written meanwhile: nothing of this one is needed.
      if (this.isDropped(key, q) || this.newestWritten.of(key) > q.seq) return true;
      try {
        await this.options.write(key, q.value);
        this.newestWritten.raise(key, q.seq);
        return true;
      } catch (e) {
        this.failed(key, q, e);
        return false;
      }
    })();
    this.inFlight.set(key, result);
    void result.then(() => {
      this.writing.delete(writing);
      if (this.inFlight.get(key) === result) this.inFlight.delete(key);
    });
    return result;
  }

  private failed(key: string, q: Queued<T>, error: unknown): void {
    const now = this.options.now();
    // A newer capture waiting on its own failures (an install's write failed before this older
    // capture's): one run of failures of the key, counted from its first.
    const waiting = this.pending.get(key);
    const run = (waiting?.firstFailedAt ?? Infinity) < (q.firstFailedAt ?? Infinity) ? waiting! : q;
    const attempts = run.attempts + 1;
    const firstFailedAt = run.firstFailedAt ?? now;
    // Told once per run of failures, when it starts, and once more if it is given up.
    if (attempts === 1) {
      this.tell(retrying(key, this.retry.forMs, error));
    }
    if (this.isDropped(key, q)) return;
    if (now - firstFailedAt >= this.retry.forMs) {
      this.tell(abandoned(key, attempts, now - firstFailedAt, error));
      // A newer capture waiting for this key starts afresh.
      const newer = this.pending.get(key);
      if (newer) this.pending.set(key, { value: newer.value, seq: newer.seq, dueAt: newer.dueAt, attempts: 0 });
      return;
    }
    const dueAt = now + Math.min(this.retry.maxMs, this.retry.firstMs * 2 ** (attempts - 1));
    const newer = this.pending.get(key);
    // A newer capture that came while this write failed wins: it is what gets written, on the
    // retry's schedule (the store is failing), and carries the run of failures on.
    if (newer) this.pending.set(key, { ...newer, attempts, firstFailedAt, dueAt: Math.max(dueAt, newer.dueAt) });
    else this.pending.set(key, { ...q, attempts, firstFailedAt, dueAt });
    this.schedule(this.pending.get(key)?.dueAt ?? dueAt);
  }

  /** Back to the queue, unless a newer capture is there or the key was dropped. */
  private putBack(key: string, q: Queued<T>): void {
    if (this.pending.has(key) || this.isDropped(key, q)) return;
    this.pending.set(key, q);
    this.schedule(q.dueAt);
  }

  private isDropped(key: string, q: Queued<T>): boolean {
    return this.dropped.of(key) >= q.seq;
  }

  private tell(error: ReferenceWriteError): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing logger must not turn a flush into a throw (the shutdown awaits it).
    }
  }
}

function retryStateOf<T>(q: Queued<T> | undefined): { attempts: number; firstFailedAt?: number } {
  return q?.firstFailedAt === undefined ? { attempts: 0 } : { attempts: q.attempts, firstFailedAt: q.firstFailedAt };
}
