// The wait before a re-send after an unanswered write: a busy service's answer (a 503) that named
// a Retry-After is waited out first, as Graph asks
// (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors,
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling). A wait that
// would end past the write's budget is not taken: the person is told to try again later, and to
// check first, since the first write's outcome is still unknown (a read may lag it).

import { ThrottledError, UpstreamError } from './errors';

/** Contract §4: a write's attempts fit in 30 s, counted from its first send. */
export const WRITE_BUDGET_MS = 30_000;

export interface HoldBackDeps {
  readonly now: () => number;
  readonly budgetMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function holdBack(e: UpstreamError, startedAt: number, deps: HoldBackDeps): Promise<void> {
  if (e.retryAt === null) return;
  const waitMs = e.retryAt - deps.now();
  if (waitMs <= 0) return;
  if (deps.now() + waitMs >= startedAt + deps.budgetMs) {
    throw new ThrottledError(
      'Microsoft Graph is busy and asked to wait longer than a command may take.',
      waitMs / 1000,
      e.graph,
    );
  }
  await (deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(waitMs);
}

/** Throttled before or during the re-send: the first write's outcome is still unknown (a read may
 * lag it, and a 5xx or a timeout says nothing of whether it acted), so the person is told to check
 * before trying again, not that nothing was changed. Anything else passes through untouched. */
export function uncertainThrottle(e: unknown): void {
  if (!(e instanceof ThrottledError) || e.afterUnansweredWrite) return;
  throw new ThrottledError(e.message, e.retryAfterSeconds, e.graph, true);
}

/** The wait's failure, as the re-send's caller sees it: a throttle worded as above, and any other
 * failure (a wait that did not happen) thrown as it is, so the re-send never goes out early. */
export function rethrowUncertain(e: unknown): never {
  uncertainThrottle(e);
  throw e;
}
