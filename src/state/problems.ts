// What the state store set aside or found damaged, kept for /readyz (a count) and told to whoever
// watches (the operator's log) once each, as it is met: a record quarantined at run time is as
// much the operator's business as a damaged database found at start.

import { LruCache } from './lruCache';

/** One problem the store met. Names no secret and no path: a record's key (cut to 80 characters;
 * keys hold ids and hashes, never a token), a blob's or a file's own name. */
export interface StoreProblem {
  /** What was found unreadable or damaged. */
  readonly subject: 'record' | 'outbox item' | 'database' | 'write-ahead log' | 'lock file';
  /** Which one: a record's key or an outbox item's id; absent for the database, its log and its
   * lock file (state.db-holders). */
  readonly where?: string;
  /** Why it was set aside, or what happened to it. */
  readonly reason: string;
  /** Where the unreadable bytes are kept: the quarantine table, a blob's name, a file's name (no
   * directory); absent when they could not be kept (yet). */
  readonly keptAs?: string;
  /** The whole of it in one sentence, as the operator's log says it: written by the adapter that
   * met it, which knows what it did about it. */
  readonly text: string;
}

export type ProblemWatcher = (problem: StoreProblem) => void;

/** Told, once a window is over, how many problems were met in it and not told one by one. */
export type UnlistedWatcher = (count: number, text: string) => void;

/** A problem as an adapter notes it. `key`: the record's whole key or the item's whole id, which
 * tells apart two whose first 80 characters (`where`) are the same; only remembered, never told. */
export type NewProblem = StoreProblem & { readonly key?: string };

/** How much a store remembers of its problems, and how fast it tells of them. A store may hold any
 * number of unreadable records, each met again by every read while it cannot be set aside, and the
 * adapters report it every time: this memory is what says it once, and it and the log are bounded
 * here. */
export interface ProblemLimits {
  /** Problems remembered as told (by subject, where and where kept), so one met again is neither
   * told nor counted again while remembered. */
  readonly remembered: number;
  /** Problems kept (the latest), told to a watcher as it starts watching. */
  readonly kept: number;
  /** Problems told one by one in each window; the rest of the window's are told as a count. */
  readonly toldPerWindow: number;
  readonly windowMs: number;
  readonly now: () => number;
  /** Runs `fn` after `ms` without keeping the process alive. */
  readonly later: (fn: () => void, ms: number) => void;
}

const PROBLEM_LIMITS: ProblemLimits = {
  remembered: 4096,
  kept: 100,
  toldPerWindow: 100,
  windowMs: 60_000,
  now: Date.now,
  later: (fn, ms) => void setTimeout(fn, ms).unref(),
};

/** The problems met since the store was made, and their watchers. */
export class StoreProblems {
  /** Problems met (not counting one met again while remembered): what /readyz counts. */
  private met = 0;
  private readonly recent: StoreProblem[] = [];
  private readonly remembered: LruCache<true>;
  private readonly watchers = new Set<ProblemWatcher>();
  private readonly unlistedWatchers = new Set<UnlistedWatcher>();
  private windowStart = Number.NEGATIVE_INFINITY;
  private toldInWindow = 0;
  private unlisted = 0;
  private readonly limits: ProblemLimits;

  constructor(limits: Partial<ProblemLimits> = {}) {
    this.limits = { ...PROBLEM_LIMITS, ...limits };
    this.remembered = new LruCache<true>(this.limits.remembered);
  }

  /** Notes a problem and tells every watcher of it, unless the same one (subject, whole key or
   * where, where kept) is remembered as met, or this window's share is told (then it is told as a count when
   * the window is over). A watcher that throws stops no store operation and no other watcher. */
  add(problem: NewProblem): void {
    const { key: whole, ...full } = problem;
    const key = JSON.stringify([full.subject, whole ?? full.where ?? null, full.keptAs ?? null]);
    if (this.remembered.get(key)) return;
    this.remembered.set(key, true);
    this.met++;
    this.recent.push(full);
    if (this.recent.length > this.limits.kept) this.recent.shift();
    const now = this.limits.now();
    if (now - this.windowStart >= this.limits.windowMs) {
      this.windowStart = now;
      this.toldInWindow = 0;
    }
    if (this.toldInWindow >= this.limits.toldPerWindow) {
      // The first one left untold in a window sets the count's telling for the window's end.
      if (this.unlisted++ === 0)
        this.limits.later(() => this.tellUnlisted(), this.windowStart + this.limits.windowMs - now);
      return;
    }
    this.toldInWindow++;
    for (const watcher of this.watchers) tell(() => watcher(full));
  }

  /** How many problems were met (one met again while remembered counted once). */
  count(): number {
    return this.met;
  }

  /** Tells `watcher` of the latest problems met so far (and how many earlier ones it is not told
   * of), then of each new one as it is met; the returned function stops that. */
  watch(watcher: ProblemWatcher, unlisted?: UnlistedWatcher): () => void {
    const earlier = this.met - this.recent.length;
    if (unlisted && earlier > 0) tell(() => unlisted(earlier, unlistedText(earlier, 'before the log was watched')));
    for (const problem of [...this.recent]) tell(() => watcher(problem));
    this.watchers.add(watcher);
    if (unlisted) this.unlistedWatchers.add(unlisted);
    return () => {
      this.watchers.delete(watcher);
      if (unlisted) this.unlistedWatchers.delete(unlisted);
    };
  }

  /** Tells now the count the window's end would tell: the store closes (the instance stops), and
   * the timer that would have told it keeps no process alive. */
  flush(): void {
    this.tellUnlisted();
  }

  private tellUnlisted(): void {
    const count = this.unlisted;
    // Told already (flushed as the store closed): the window's timer has nothing to add.
    if (count === 0) return;
    this.unlisted = 0;
    const text = unlistedText(count, `in a minute (at most ${this.limits.toldPerWindow} are told one by one)`);
    for (const watcher of this.unlistedWatchers) tell(() => watcher(count, text));
  }
}

function unlistedText(count: number, when: string): string {
  return `${count} more state store problem${count === 1 ? ' was' : 's were'} met ${when} and not listed; /readyz counts them`;
}

/** A watcher that throws stops no store operation and no other watcher: the log is its business. */
function tell(fn: () => void): void {
  try {
    fn();
  } catch {
    // The store goes on.
  }
}

/** A record's or an item's label: its kind and its key or id (as `whereOf` cut it), quoted. */
export function labelOf(subject: StoreProblem['subject'], where: string): string {
  return `${subject} ${JSON.stringify(where)}`;
}

/** The key or id as a problem names it: its first 80 characters. */
export function whereOf(key: string): string {
  return key.slice(0, 80);
}
