// The digest's daily counts, written by group commit. Every event, reminder and action adds one to
// the same record of the day (`alerts:digest:day:<date>`), on every instance: written one by one,
// each action was a read and a compare-and-swap write of that one hot record, and concurrent
// writers (turns on one instance, or several instances) made each other retry. Here an instance
// keeps at most one write of a day's record in flight; counts that arrive meanwhile wait and go
// together in the next write. Each count's promise still resolves only once its write is stored,
// and fails with that write, so nothing is said counted that is not.

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
}

export class DayCounts {
  /** Counts waiting for the next write, per day. */
  private readonly waiting = new Map<string, Batch>();
  /** Days whose record is being written now. */
  private readonly writing = new Set<string>();

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
      // Counts added in the same turn of the event loop join this batch before it is written.
      if (!this.writing.has(date)) queueMicrotask(() => void this.write(date));
    });
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
      // What arrived during this write goes next, as one.
      if (this.waiting.has(date)) void this.write(date);
    }
  }
}
