// Microsoft Graph's answers -> domain errors (graph-reference.md §10, §11). Pure functions.
// Branch on status and code, never show Graph's raw message to a person.

import {
  DomainError,
  GraphEvidence,
  InvalidStateError,
  NotAvailableInCloudError,
  NotFoundError,
  NotInParentError,
  UnsupportedByGraphError,
  NotLicensedError,
  NotSentError,
  RefusedByGraphError,
  SignInRequiredError,
  ThrottledError,
  UpstreamError,
} from '../domain/errors';
import { CATALOG, OperationName } from '../domain/operations';
import { parseRetryAfter } from '../domain/retryAfter';
import { RightsRefusedError, missingRights, permissionWords } from '../domain/rights';
import { AnswerMarks, answerMarks, graphWord } from './graphWords';

export interface GraphErrorBody {
  readonly code: string | null;
  readonly message: string | null;
  readonly requestId: string | null;
  readonly clientRequestId?: string | null;
}

/** A word of Graph's as the bot keeps it (graphWords.ts), null when it is no string. */
const wordOf = (v: unknown): string | null => (typeof v === 'string' ? graphWord(v) : null);

/** Reads the envelope {"error":{code,message,innerError:{request-id}}}; tolerant of anything else.
 * The code and ids are kept as the bot keeps Graph's words (graphWords.ts): they go on to the
 * audit line, the log and the cards. The message is only matched, never shown or logged. */
function parseErrorBody(text: string | null | undefined): GraphErrorBody {
  if (!text) return { code: null, message: null, requestId: null };
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> };
    };
    const e = parsed.error;
    const inner = e?.innerError;
    return {
      code: wordOf(e?.code),
      message: typeof e?.message === 'string' ? e.message : null,
      requestId: wordOf(inner?.['request-id']),
      clientRequestId: wordOf(inner?.['client-request-id']),
    };
  } catch {
    return { code: null, message: null, requestId: null };
  }
}

/** The `innerError.request-id` of an error answer's body, null when it has none. */
export function bodyRequestId(text: string | null | undefined): string | null {
  return parseErrorBody(text).requestId;
}

/** PIM's 403 carries a JSON document inside `message` (graph-reference §10.2). */
function innerErrorCode(message: string | null): string | null {
  if (!message || !message.trimStart().startsWith('{')) return null;
  try {
    const inner = JSON.parse(message) as { errorCode?: unknown };
    return wordOf(inner.errorCode);
  } catch {
    return null;
  }
}

const CURRENT_STATE_RE = /current (?:status|state)(?: is)?:?\s*'?([A-Za-z]+)'?/i;

export interface GraphAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly bodyText: string | null;
  /** The client-request-id the call was sent with (Graph echoes it in its headers too). */
  readonly clientRequestId?: string;
  /** The answer's request-id, Date and diagnostic as the exchange that brought it read them
   * (fetchStep.ts); absent (a $batch item's answer), they are read here from `headers`. */
  readonly marks?: AnswerMarks | null;
}

export const DEFAULT_RETRY_AFTER_SECONDS = 5;

export function evidenceOf(answer: GraphAnswer, body: GraphErrorBody = parseErrorBody(answer.bodyText)): GraphEvidence {
  const marks = answer.marks ?? answerMarks(answer.headers, body.requestId);
  const echoed = answer.headers.get('client-request-id');
  return {
    status: answer.status,
    requestId: marks.requestId,
    errorCode: innerErrorCode(body.message) ?? body.code,
    clientRequestId: answer.clientRequestId ?? (echoed === null ? null : graphWord(echoed)) ?? body.clientRequestId,
    date: marks.date,
    diagnostic: marks.diagnostic,
  };
}

// An unknown PIM or entitlement management request id: 404 by default; the legacy PIM codes come
// with a 400 (graph-reference §2, §10.2, §13, unconfirmed for the current API).
const NOT_FOUND_CODES = new Set(['requestnotfound', 'roleassignmentrequestnotfound', 'resourcenotfound']);

// A 403 may mean a missing licence rather than a missing right ("might not have a required
// license", https://learn.microsoft.com/graph/errors); entitlement management says so with the code
// NoLicense (graph-reference §10.1). Branch on the code, never on the message.
const LICENCE_CODE_RE = /licen[cs]e/i;

/**
 * Maps a non-2xx answer for one operation to the domain error a person can act on. `scopes` are
 * the delegated permissions of the token the call carried (null when unknown): a 403 says from
 * them which right was missing.
 */
export function mapGraphError(
  operation: OperationName,
  answer: GraphAnswer,
  now: number = Date.now(),
  scopes: readonly string[] | null = null,
): DomainError {
  const spec = CATALOG[operation];
  const body = parseErrorBody(answer.bodyText);
  const graph = evidenceOf(answer, body);
  const status = answer.status;
  const message = body.message ?? '';
  if (status === 401) {
    return new SignInRequiredError(
      'Microsoft Graph did not accept your sign-in; it may have expired.',
      'expired',
      graph,
    );
  }
  if (status === 403 && LICENCE_CODE_RE.test(graph.errorCode ?? '')) {
    return new NotLicensedError(
      `Your organization's licence does not include "${spec.title}" (Microsoft Graph answered ${graph.errorCode ?? 'HTTP 403'}).`,
      graph,
    );
  }
  if (status === 403) {
    const self = spec.selfService;
    const own = self
      ? ` For ${self.own}: the delegated permission ${permissionWords(self.permission)}${self.role ? ` and the role ${self.role}` : ''}.`
      : '';
    return new RightsRefusedError(
      `You are not allowed to ${spec.title.toLowerCase()}: the app needs the delegated permission ${permissionWords(spec.permission)}, and you need the role ${spec.role}.${own}`,
      graph,
      missingRights(spec, scopes, graph.errorCode),
    );
  }
  if (status === 400 && /resource not found for the segment/i.test(message)) {
    // Graph has no such call here: a national cloud that does not offer it (graph-reference §9).
    // The governance service names the cloud it plays.
    return new NotAvailableInCloudError(`Microsoft Graph does not offer "${spec.title}" here.`, 'unknown', graph);
  }
  if (status === 400 && /does not belong to/i.test(message)) {
    return new NotInParentError(`The ${spec.noun} does not belong to the item its path names.`, graph);
  }
  const notFoundCode = status === 400 && NOT_FOUND_CODES.has((graph.errorCode ?? '').toLowerCase());
  // 410 Gone: "no longer available at the server" (https://learn.microsoft.com/graph/errors).
  if (status === 404 || status === 406 || status === 410 || notFoundCode) {
    return new NotFoundError(`The ${spec.noun} no longer exists, or you cannot see it.`, graph);
  }
  if (status === 400 || status === 409) {
    const named = CURRENT_STATE_RE.exec(message)?.[1];
    const state = named === undefined ? null : graphWord(named);
    return new InvalidStateError(`The ${spec.noun} is not in a state that allows this.`, state, graph);
  }
  if (status === 429) {
    const ms = parseRetryAfter(answer.headers.get('retry-after'), now, answer.headers.get('date'));
    return new ThrottledError(
      'Microsoft Graph is throttling requests.',
      ms === null ? DEFAULT_RETRY_AFTER_SECONDS : ms / 1000,
      graph,
    );
  }
  if (status === 501) {
    // "The requested feature isn't implemented" (https://learn.microsoft.com/graph/errors): the
    // call did not act, so there is nothing to recover and nothing to wait for.
    return new UnsupportedByGraphError(
      `Microsoft Graph does not offer "${spec.title}" for this item or in this cloud (HTTP 501), so nothing was changed.`,
      graph,
    );
  }
  if (status >= 500) {
    // A busy service's 503 may say when to come back: any re-send waits for it
    // (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors).
    const ms = parseRetryAfter(answer.headers.get('retry-after'), now, answer.headers.get('date'));
    return new UpstreamError(
      `Microsoft Graph failed (HTTP ${status}); the action may or may not have taken effect.`,
      graph,
      ms === null ? null : now + ms,
    );
  }
  if (status >= 400 && status < 500) {
    return new RefusedByGraphError(`Microsoft Graph refused the request (HTTP ${status}).`, graph);
  }
  return new UpstreamError(`Microsoft Graph answered what the bot cannot read (HTTP ${status}).`, graph);
}

/** A timeout or a network failure: no answer came, so the write may or may not have happened. */
export function noAnswerError(cause: 'timeout' | 'network', clientRequestId: string | null = null): UpstreamError {
  return new UpstreamError(
    cause === 'timeout'
      ? 'Microsoft Graph did not answer in time; the action may or may not have taken effect.'
      : // A connection can break after the request went out (a reused connection the far end
        // closed), so a failure to reach Graph is no proof that nothing happened.
        'Microsoft Graph could not be reached, or the connection broke before it answered; the action may or may not have taken effect.',
    { status: null, requestId: null, errorCode: null, clientRequestId },
  );
}

/** No connection to Graph could be made (refused, unresolved, a TLS handshake that failed): not a
 * byte of the request left, so it changed nothing, and no read or re-send is owed. */
export function notReachedError(clientRequestId: string | null = null): NotSentError {
  return new NotSentError(
    'Microsoft Graph could not be reached (no connection to it could be made), so nothing was sent.',
    {
      status: null,
      requestId: null,
      errorCode: null,
      clientRequestId,
    },
  );
}

/**
 * A 400 or 409 to a list read refuses the read (a query or a page token Graph does not take,
 * https://learn.microsoft.com/graph/errors, https://learn.microsoft.com/graph/paging); mapped as the
 * row operation's error it would say a request is in the wrong state.
 */
export function readRefusal(e: DomainError): DomainError {
  if (!(e instanceof InvalidStateError)) return e;
  return new RefusedByGraphError(`Microsoft Graph refused the list read (HTTP ${e.graph.status ?? '?'}).`, e.graph);
}
