// The last step of the Graph client's middleware chain: one HTTP exchange with a deadline.

import { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';

/**
 * One HTTP exchange in the shape of fetch, resolving only once the whole answer is in (the body
 * buffered, as httpsTransport.ts and the simulated tenant's fetch do), so the step's deadline
 * covers a body that stalls as well as an answer that never starts.
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What one call's attempts tell the gateway, carried as a request option of that call (the
 * chain is shared by every call, so the step itself holds no per-call state). */
export class CallState implements MiddlewareOptions {
  /** Set when an attempt ran out of time. The client wraps whatever the chain throws into its
   * own error type, so the gateway asks this instead of inspecting the error. */
  timedOut = false;
  /** When the call's budget ends, on the caller's clock (set by ThrottleRetry): no attempt may
   * outlast it, whatever its own deadline. */
  deadlineAt: number | undefined = undefined;
}

/** The last step of the chain: one HTTP exchange with a timeout, its own or the end of the
 * call's budget, whichever comes first. */
export class FetchStep implements Middleware {
  constructor(
    private readonly fetchFn: FetchLike,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}
  async execute(context: Context): Promise<void> {
    const state = context.middlewareControl?.getMiddlewareOptions(CallState) as CallState | undefined;
    const left = state?.deadlineAt === undefined ? Infinity : state.deadlineAt - this.now();
    const ms = Math.min(this.timeoutMs, left);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          if (state) state.timedOut = true;
          controller.abort();
          reject(new Error('Microsoft Graph did not answer in time.'));
        },
        Math.max(0, ms),
      );
    });
    try {
      const url = typeof context.request === 'string' ? context.request : context.request.url;
      // Racing the deadline also covers a fetch that ignores the abort signal. The answer comes
      // with its body already read (FetchLike), so a stalled body is a timeout too.
      context.response = await Promise.race([
        this.fetchFn(url, { ...context.options, signal: controller.signal }),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
