// Time as a dependency: the card-action protocol measures deadlines and leases with it, and tests
// replace it so that waiting is counted, not slept.

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** The work's result if it settles before `deadlineAt`, otherwise `{ inTime: false }` (the work goes on). */
export async function beforeDeadline<T>(
  clock: Clock,
  deadlineAt: number,
  work: Promise<T>,
): Promise<{ readonly inTime: true; readonly value: T } | { readonly inTime: false }> {
  const stop = new AbortController();
  try {
    return await Promise.race([
      work.then((value) => ({ inTime: true as const, value })),
      clock.sleep(deadlineAt - clock.now(), stop.signal).then(() => ({ inTime: false as const })),
    ]);
  } finally {
    stop.abort();
  }
}

/** `work`'s result, or the error `expired` makes once `ms` have passed without one. The work is
 * not cancelled here (its own signal, if it takes one, does that); it is only no longer waited for. */
export async function within<T>(work: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(expired()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
