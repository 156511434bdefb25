// Graph client middleware: re-sends a request Microsoft Graph answered 429 (and a read it answered
// 503 or 504), waiting at least Retry-After, at most `maxAttempts` attempts, never waiting past the
// call's budget nor sending a retry with less than LEAST_ATTEMPT_MS of it left (and the fetch step
// ends any attempt at the budget's end: CallState.deadlineAt).
// No write is re-sent after a 503/504 or a timeout: a cancel or a resume may already have taken
// effect, so the governance service reads the item before any re-send.
//
// Why not the client's own RetryHandler: its shouldRetry can refuse everything but 429 and check
// a budget, but the wait is computed and slept inside private methods that cannot be replaced.
// There, an HTTP-date Retry-After is rounded to the nearest second (so it can wait less than
// asked), an unreadable one becomes NaN and the request is re-sent at once, and the sleep is a
// bare setTimeout on the wall clock, outside the call's budget clock. This step keeps the same
// place in the chain with one Retry-After parser (domain/retryAfter) and an injectable clock.

import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { Attempts, LEAST_ATTEMPT_MS } from '../domain/attempts';
import { parseRetryAfter } from '../domain/retryAfter';
import { CallState } from './fetchStep';

/** A request option: the attempts one logical call has made so far, when they began before this
 * trip through the chain (a throttled $batch item, a write's sends before its re-send). */
export class CallAttempts implements MiddlewareOptions {
  constructor(readonly attempts: Attempts) {}
}

export interface ThrottlePolicy {
  /** Attempts per call, the first included (contract §4: 5), counted across the call's trips
   * through the chain when it brings its CallAttempts. */
  readonly maxAttempts: number;
  /** No wait may end after this many ms from the call's start (contract §4: 30 s). */
  readonly budgetMs: number;
  /** When Retry-After is absent or unreadable. */
  readonly defaultWaitMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/**
 * 429 for every request. A busy service's 503 (and a gateway's 504) only for a read: Graph's best
 * practices ask for the same back-off as for a 429
 * (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors), and the
 * SDKs' RetryHandler retries both (https://microsoftgraph.github.io/msgraph-sdk-design/middleware/RetryHandler.html),
 * but a write after them may already have taken effect, so only a GET, or a POST its caller marks
 * as one that only reads (CallState.readsOnly: a $batch of GETs, checkMemberGroups), is sent again.
 */
function retried(status: number, method: string | undefined, readsOnly: boolean): boolean {
  if (status === 429) return true;
  return (status === 503 || status === 504) && (readsOnly || (method ?? 'GET').toUpperCase() === 'GET');
}

export class ThrottleRetry implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly policy: ThrottlePolicy) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('ThrottleRetry needs a next middleware.');
    const { maxAttempts, budgetMs, now, sleep } = this.policy;
    const control = context.middlewareControl;
    // The fetch step ends every attempt by this too: the budget bounds the call, not only its waits.
    const state = control?.getMiddlewareOptions(CallState) as CallState | undefined;
    const deadline = now() + Math.min(budgetMs, state?.budgetMs ?? budgetMs);
    if (state) state.deadlineAt = deadline;
    // One count for the whole logical call (domain/attempts.ts): its caller checks that one is left.
    const given = control?.getMiddlewareOptions(CallAttempts) as CallAttempts | undefined;
    const attempts = given?.attempts ?? new Attempts(0, maxAttempts);
    const limit = Math.min(maxAttempts, attempts.limit);
    for (;;) {
      attempts.count(now());
      await this.next.execute(context);
      const response = context.response;
      if (
        !response ||
        !retried(response.status, context.options?.method, state?.readsOnly === true) ||
        attempts.sent >= limit
      )
        return;
      const waitMs = this.waitMs(response.headers.get('retry-after'), response.headers.get('date'), attempts.sent);
      // Giving up early leaves the last 429 in the context: the caller reports it as throttled
      // (nothing changed, try again later). A wait that leaves less than an attempt's least time
      // before the budget's end leaves no time for the attempt after it.
      if (now() + waitMs + LEAST_ATTEMPT_MS > deadline) return;
      await sleep(waitMs);
      // A wait can end later than asked (a busy machine's timer): an attempt started with too
      // little time left would be cut before it could answer, a write that may take effect
      // unheard. The last 429 stays, and says truly that nothing changed.
      if (deadline - now() < LEAST_ATTEMPT_MS) return;
    }
  }

  /** Retry-After when Graph gave one; otherwise exponential backoff with jitter, never below the default. */
  private waitMs(header: string | null, answeredAt: string | null, attempt: number): number {
    const asked = parseRetryAfter(header, this.policy.now(), answeredAt);
    if (asked !== null) return asked;
    const jitter = 0.8 + (this.policy.random ?? Math.random)() * 0.4;
    const backoff = Math.min(8_000, 1_000 * 2 ** (attempt - 1)) * jitter;
    return Math.ceil(Math.max(this.policy.defaultWaitMs, backoff));
  }
}
