// The digest's daily counts, written by group commit. Every event, reminder and action adds one to
// the same record of the day (`alerts:digest:day:<date>`), on every instance: written one by one,
// each action was a read and a compare-and-swap write of that one hot record, and concurrent
// writers (turns on one instance, or several instances) made each other retry. Here an instance
// gathers the counts of a short window (`gatherMs`) and keeps at most one write of a day's record in
// flight; counts that arrive meanwhile wait and go together in the next write. On SQLite a write
// ends within the turn of the event loop that started it, so without the window nearly every action
// still read and rewrote the record alone; with it, a busy instance writes the record a few times a
// second whatever the rate of actions, and instances sharing Azure Storage rarely meet on its ETag.
// Each count's promise still resolves only once its write is stored, and fails with that write, so
// nothing is said counted that is not.

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import type { CategoryId } from './categories';
import type { DigestDay, DigestOutcome } from './digest';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

interface Batch {
  readonly counts: Array<readonly [CategoryId, DigestOutcome]>;
  readonly waiters: Waiter[];
}

/** `apply` adds every count of a batch to the day's record (pure); `keyOf` names a day's record. */
export interface DayCountsOptions {
  readonly keyOf: (date: string) => string;
  readonly apply: (day: DigestDay | null, date: string, counts: Batch['counts']) => DigestDay;
  readonly ttlMs: number;
  /** How long the first count of a batch waits for others (0: the same turn of the event loop only). */
  readonly gatherMs?: number;
}

/** Long enough to gather a busy instance's actions, short enough that a stopping instance's last
 * counts are written while it drains. */
export const DEFAULT_GATHER_MS = 200;

export class DayCounts {
  /** Counts waiting for the next write, per day. */
  private readonly waiting = new Map<string, Batch>();
  /** Days whose record is being written now. */
  private readonly writing = new Set<string>();
  /** Days whose next write is waiting for its window to close. */
  private readonly scheduled = new Set<string>();

  constructor(
    private readonly records: Records,
    private readonly opts: DayCountsOptions,
  ) {}

  /** Adds one; resolves when the day's record holds it. */
  add(date: string, category: CategoryId, outcome: DigestOutcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let batch = this.waiting.get(date);
      if (!batch) {
        batch = { counts: [], waiters: [] };
        this.waiting.set(date, batch);
      }
      batch.counts.push([category, outcome]);
      batch.waiters.push({ resolve, reject });
      this.schedule(date);
    });
  }

  /** Starts the window of the day's next write, unless a write or a window is already under way
   * (the write's end schedules the next one). */
  private schedule(date: string): void {
    if (this.writing.has(date) || this.scheduled.has(date)) return;
    this.scheduled.add(date);
    const go = () => {
      this.scheduled.delete(date);
      void this.write(date);
    };
    const gatherMs = this.opts.gatherMs ?? DEFAULT_GATHER_MS;
    // Counts added in the same turn of the event loop always join the batch before it is written.
    if (gatherMs <= 0) queueMicrotask(go);
    else setTimeout(go, gatherMs);
  }

  private async write(date: string): Promise<void> {
    const batch = this.waiting.get(date);
    if (!batch || this.writing.has(date)) return;
    this.waiting.delete(date);
    this.writing.add(date);
    try {
      await updateRecord<DigestDay>(
        this.records,
        this.opts.keyOf(date),
        (cur) => ({ next: this.opts.apply(cur, date, batch.counts) }),
        { ttlMs: this.opts.ttlMs },
      );
      for (const w of batch.waiters) w.resolve();
    } catch (e) {
      for (const w of batch.waiters) w.reject(e);
    } finally {
      this.writing.delete(date);
      // What arrived during this write goes next, as one, after its own window.
      if (this.waiting.has(date)) this.schedule(date);
    }
  }
}
