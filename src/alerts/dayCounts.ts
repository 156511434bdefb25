// The digest's daily counts, written by group commit. Every event, reminder and action adds one to
// the same record of the day (`alerts:digest:day:<date>`), on every instance: written one by one,
// each action was a read and a compare-and-swap write of that one hot record, and concurrent
// writers (turns on one instance, or several instances) made each other retry. Here an instance
// keeps at most one write of a day's record in flight; counts that arrive meanwhile wait and go
// together in the next write. Each count's promise resolves only once its write is stored, and
// fails with that write, so nothing is said counted that is not.
//
// A count that nobody waits for (an action's: its turn goes on without it) may also wait for a
// short window (`gatherMs`) so others join it: on SQLite a write ends within the turn of the event
// loop that started it, so without the window nearly every action of a busy instance still read and
// rewrote the record alone. A count its caller waits for (an event's, before its fan-out is queued;
// a reminder's) is written at once, and takes whatever has gathered with it: a window there would
// hold the caller, and the outbox worker runs only a few rows at a time.

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import type { CategoryId } from './categories';
import type { DigestDay, DigestOutcome } from './digest';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

interface Batch {
  /** Each count, with the key it is made once under, if any (DigestLog.count). */
  readonly counts: Array<readonly [CategoryId, DigestOutcome, string?]>;
  readonly waiters: Waiter[];
  /** Some caller waits for this batch: write it without waiting for the window. */
  urgent: boolean;
}

/** `now`: the caller waits for the count; `soon`: it may gather with others for `gatherMs` first. */
export type CountUrgency = 'now' | 'soon';

/** `apply` adds every count of a batch to the day's record (pure); `keyOf` names a day's record. */
export interface DayCountsOptions {
  readonly keyOf: (date: string) => string;
  readonly apply: (day: DigestDay | null, date: string, counts: Batch['counts']) => DigestDay;
  readonly ttlMs: number;
  /** How long a batch of `soon` counts waits for others before it is written. */
  readonly gatherMs?: number;
}

/** Long enough to gather a busy instance's actions; a stopping instance does not wait for it
 * (`drain`). */
const DEFAULT_GATHER_MS = 200;

export class DayCounts {
  /** Counts waiting for the next write, per day. */
  private readonly waiting = new Map<string, Batch>();
  /** Days whose record is being written now. */
  private readonly writing = new Set<string>();
  /** Days whose next write is scheduled: at the window's end (a timer) or at once (null). */
  private readonly scheduled = new Map<string, ReturnType<typeof setTimeout> | null>();
  /** Stopping: no count waits for a window any more. */
  private draining = false;

  constructor(
    private readonly records: Records,
    private readonly opts: DayCountsOptions,
  ) {}

  /** Adds one; resolves when the day's record holds it. */
  add(
    date: string,
    category: CategoryId,
    outcome: DigestOutcome,
    urgency: CountUrgency = 'now',
    once?: string,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let batch = this.waiting.get(date);
      if (!batch) {
        batch = { counts: [], waiters: [], urgent: false };
        this.waiting.set(date, batch);
      }
      batch.counts.push(once !== undefined ? [category, outcome, once] : [category, outcome]);
      batch.waiters.push({ resolve, reject });
      batch.urgent ||= urgency === 'now' || this.draining;
      this.schedule(date, batch.urgent);
    });
  }

  /** For a stopping instance: the counts gathering are written now, and every later count at once,
   * so nothing waits for a window while the store is about to close. Their promises still resolve
   * when stored. */
  drain(): void {
    this.draining = true;
    for (const [date, batch] of this.waiting) {
      batch.urgent = true;
      this.schedule(date, true);
    }
  }

  /** Schedules the day's next write, unless one is being written (its end schedules the next): at
   * once when a caller waits, else at the end of a window (an urgent count cuts the window short). */
  private schedule(date: string, urgent: boolean): void {
    if (this.writing.has(date)) return;
    const timer = this.scheduled.get(date);
    if (timer === null || (timer !== undefined && !urgent)) return;
    if (timer !== undefined) clearTimeout(timer);
    const go = () => {
      this.scheduled.delete(date);
      void this.write(date);
    };
    if (urgent) {
      this.scheduled.set(date, null);
      // Counts added in the same turn of the event loop join the batch before it is written.
      queueMicrotask(go);
    } else {
      this.scheduled.set(date, setTimeout(go, this.opts.gatherMs ?? DEFAULT_GATHER_MS));
    }
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
      const next = this.waiting.get(date);
      if (next) this.schedule(date, next.urgent);
    }
  }
}
