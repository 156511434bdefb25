// The last step of the Graph client's middleware chain: one HTTP exchange with a deadline.

import { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { LastAnswer } from '../domain/lastAnswer';
import { bodyRequestId } from './graphErrors';
import { AnswerMarks, answerMarks } from './graphWords';
import { neverSent } from './httpsTransport';

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
  /** A POST that only reads ($batch of GETs, checkMemberGroups): ThrottleRetry sends it again
   * after a 503/504 as it does a GET. */
  readsOnly = false;
  /** A budget for this call shorter than the chain's (retries included), when it has one. */
  budgetMs: number | undefined = undefined;
  /** The log of the command the call is part of (domain/lastAnswer.ts), when it has one. */
  answers: LastAnswer | undefined = undefined;
  /** Set when an attempt failed before any of it was sent (no connection could be made, or its
   * deadline came while the connection was still being made or awaited): with
   * every earlier attempt answered 429 or 503/504 (a refusal, nothing done), the call changed nothing. */
  neverSent = false;
  /** What the last answer named for support (its request-id, Date and diagnostic), as this step
   * read and cut it: the call's answer carries it on, so nothing reads those again. */
  marks: AnswerMarks | null = null;
}

/**
 * One HTTP exchange with Graph as the log keeps it: what Graph's best practices ask a client to
 * log for every request (its client-request-id; the answer's request-id, Date and
 * x-ms-ags-diagnostic), https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support.
 * No token, header or body beyond these.
 */
export interface GraphExchange {
  readonly method: string;
  /** The request's path under the Graph root, without its query. */
  readonly path: string;
  /** Null when no answer came (`failure` says why). */
  readonly status: number | null;
  readonly failure: 'timeout' | 'network' | null;
  readonly clientRequestId: string | null;
  readonly requestId: string | null;
  readonly date: string | null;
  readonly diagnostic: string | null;
  readonly durationMs: number;
}

/** Resolves after `ms`, or at once when `signal` aborts (domain/clock.ts Clock.sleep). */
export type DeadlineTimer = (ms: number, signal: AbortSignal) => Promise<void>;

/** The last step of the chain: one HTTP exchange with a timeout, its own or the end of the
 * call's budget, whichever comes first; each exchange is told to `onExchange`. The timeout runs
 * on `timer`, the clock `now` counts on (the wall clock's unless given). */
export class FetchStep implements Middleware {
  constructor(
    private readonly fetchFn: FetchLike,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
    private readonly onExchange?: (exchange: GraphExchange) => void,
    /** Absent: the wall clock's own setTimeout, stopped by clearTimeout. A DeadlineTimer is stopped
     * by an AbortController, and creating and aborting one per attempt (the abort builds a
     * DOMException with its stack) cost about an eighth of a Graph call's CPU time. */
    private readonly timer?: DeadlineTimer,
  ) {}
  async execute(context: Context): Promise<void> {
    const state = context.middlewareControl?.getMiddlewareOptions(CallState) as CallState | undefined;
    const left = state?.deadlineAt === undefined ? Infinity : state.deadlineAt - this.now();
    const ms = Math.max(0, Math.min(this.timeoutMs, left));
    // Read once for the audit and the log (a Headers object is dear to build), before any timer runs.
    const clientRequestId = new Headers(context.options?.headers).get('client-request-id');
    const controller = new AbortController();
    // The attempt ran out of time: said so for the gateway, and the fetch told to give up.
    const expire = (): Error => {
      if (state) state.timedOut = true;
      controller.abort();
      return new Error('Microsoft Graph did not answer in time.');
    };
    let stop: () => void;
    let deadline: Promise<never>;
    if (this.timer) {
      const answered = new AbortController();
      stop = () => answered.abort();
      deadline = this.timer(ms, answered.signal).then(() =>
        answered.signal.aborted ? new Promise<never>(() => undefined) : Promise.reject(expire()),
      );
    } else {
      let handle: NodeJS.Timeout | undefined;
      stop = () => clearTimeout(handle);
      deadline = new Promise<never>((_, reject) => (handle = setTimeout(() => reject(expire()), ms)));
    }
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const started = this.now();
    try {
      // Racing the deadline also covers a fetch that ignores the abort signal. The answer comes
      // with its body already read (FetchLike), so a stalled body is a timeout too.
      context.response = await Promise.race([
        this.fetchFn(url, { ...context.options, signal: controller.signal }),
        deadline,
      ]);
    } catch (e) {
      // A deadline that ended the request before its connection was ready left it unsent too.
      if (state && neverSent(state.timedOut ? controller.signal : e)) state.neverSent = true;
      this.tell(context, url, clientRequestId, started, null, state?.timedOut ? 'timeout' : 'network');
      throw e;
    } finally {
      stop();
    }
    const answer = context.response;
    // Read once, where they come in, and cut there (graphWords.ts): the audit line, the log, the
    // call's error and the cards that quote them all take these.
    const bodyId = answer.headers.has('request-id') ? null : await requestIdInBody(answer);
    const marks = answerMarks(answer.headers, bodyId);
    if (state) state.marks = marks;
    // The command's audit line carries Graph's last answer, whichever call it answered.
    state?.answers?.note({ status: answer.status, clientRequestId, ...marks });
    this.tell(context, url, clientRequestId, started, answer.status, null, marks);
  }

  private tell(
    context: Context,
    url: string,
    clientRequestId: string | null,
    started: number,
    status: number | null,
    failure: GraphExchange['failure'],
    marks: AnswerMarks | null = null,
  ): void {
    if (!this.onExchange) return;
    try {
      this.onExchange({
        method: (context.options?.method ?? 'GET').toUpperCase(),
        path: new URL(url).pathname,
        status,
        failure,
        clientRequestId,
        requestId: marks?.requestId ?? null,
        date: marks?.date ?? null,
        diagnostic: marks?.diagnostic ?? null,
        durationMs: this.now() - started,
      });
    } catch {
      // The log is a courtesy: it never changes the call.
    }
  }
}

/**
 * An error answer without a `request-id` header may still carry it in its body
 * (`innerError.request-id`, https://learn.microsoft.com/graph/errors): the
 * audit line's graphRequestId is that one then (contract §6). Read from a copy, so the caller still
 * reads the body; only for an error without the header, so a success costs nothing.
 */
async function requestIdInBody(answer: Response): Promise<string | null> {
  if (answer.status < 400) return null;
  try {
    return bodyRequestId(await answer.clone().text());
  } catch {
    // A body already read or not text: the audit says null, as it did.
    return null;
  }
}
