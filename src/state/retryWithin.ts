// The one retry-with-deadline loop of the state stores: the SQLite store's wait for another
// process's lock (sqlite.ts) and the compare-and-swap loop (update.ts) each try something again,
// pausing between tries, until it works or their time or tries are spent. What differs (what a
// miss is, how long to pause, what to say on giving up) stays with them.

/** What one try came to: its value, or the reason it must be tried again. */
export type Try<R> = { readonly done: R } | { readonly missed: unknown };

export interface RetryLimits {
  /** The moment on `clock` after which no try starts (pauses are cut to end by it). */
  readonly until: number;
  readonly clock: () => number;
  /** How many tries at most, the one made already included (default: no limit). */
  readonly attempts?: number;
  /** How long to pause after the `n`-th try missed (ms; n counts from 1). */
  readonly pauseMs: (n: number) => number;
  /** Whether a miss may be tried again (default: every miss may). */
  readonly again?: (missed: unknown) => boolean;
}

/** What the loop ended with: the value, or the last miss and how many tries were made. */
export type Retried<R> = { readonly done: R } | { readonly missed: unknown; readonly attempts: number };

/** Makes `attempt` (at once, unless `first` is given: a try made already) and again after each
 * miss, pausing `pauseMs(n)` after the n-th, until one is done, `attempts` are made, the time is up
 * or a miss may not be tried again. The first try is made even if the time is up already. */
export async function retryWithin<R>(
  attempt: () => Try<R> | Promise<Try<R>>,
  limits: RetryLimits,
  first?: Try<R>,
): Promise<Retried<R>> {
  let outcome = first ?? (await attempt());
  for (let n = 1; ; n++) {
    if ('done' in outcome) return outcome;
    const left = limits.until - limits.clock();
    const mayRetry = limits.again?.(outcome.missed) ?? true;
    if (!mayRetry || n >= (limits.attempts ?? Infinity) || left <= 0) return { missed: outcome.missed, attempts: n };
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(left, limits.pauseMs(n)))));
    outcome = await attempt();
  }
}
