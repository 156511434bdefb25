// Microsoft Graph's answers -> domain errors (graph-reference.md §10, §11). Pure functions.
// Branch on status and code, never show Graph's raw message to a person.

import {
  DomainError,
  GraphEvidence,
  InvalidStateError,
  NotFoundError,
  NotPermittedError,
  SignInRequiredError,
  ThrottledError,
  UpstreamError,
} from '../domain/errors';
import { CATALOG, OperationName } from '../domain/operations';
import { parseRetryAfter } from '../domain/retryAfter';

export interface GraphErrorBody {
  readonly code: string | null;
  readonly message: string | null;
  readonly requestId: string | null;
}

/** Reads the envelope {"error":{code,message,innerError:{request-id}}}; tolerant of anything else. */
export function parseErrorBody(text: string | null | undefined): GraphErrorBody {
  if (!text) return { code: null, message: null, requestId: null };
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> };
    };
    const e = parsed.error;
    const inner = e?.innerError;
    return {
      code: typeof e?.code === 'string' ? e.code : null,
      message: typeof e?.message === 'string' ? e.message : null,
      requestId: typeof inner?.['request-id'] === 'string' ? inner['request-id'] : null,
    };
  } catch {
    return { code: null, message: null, requestId: null };
  }
}

/** PIM's 403 carries a JSON document inside `message` (graph-reference §10.2). */
export function innerErrorCode(message: string | null): string | null {
  if (!message || !message.trimStart().startsWith('{')) return null;
  try {
    const inner = JSON.parse(message) as { errorCode?: unknown };
    return typeof inner.errorCode === 'string' ? inner.errorCode : null;
  } catch {
    return null;
  }
}

const CURRENT_STATE_RE = /current (?:status|state)(?: is)?:?\s*'?([A-Za-z]+)'?/i;

export interface GraphAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly bodyText: string | null;
}

export const DEFAULT_RETRY_AFTER_SECONDS = 5;

export function evidenceOf(answer: GraphAnswer, body: GraphErrorBody = parseErrorBody(answer.bodyText)): GraphEvidence {
  return {
    status: answer.status,
    requestId: answer.headers.get('request-id') ?? body.requestId,
    errorCode: innerErrorCode(body.message) ?? body.code,
  };
}

/** Maps a non-2xx answer for one operation to the domain error a person can act on. */
export function mapGraphError(operation: OperationName, answer: GraphAnswer, now: number = Date.now()): DomainError {
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
  if (status === 403) {
    const permissions = [spec.permission.least, ...spec.permission.higher].join(' or ');
    return new NotPermittedError(
      `You are not allowed to ${spec.title.toLowerCase()}: the app needs the delegated permission ${permissions}, and you need the role ${spec.role}.`,
      graph,
    );
  }
  if (status === 404 || status === 406 || (status === 400 && /does not belong to/i.test(message))) {
    return new NotFoundError(`The ${spec.noun} no longer exists, or you cannot see it.`, graph);
  }
  if (status === 400 || status === 409) {
    const state = CURRENT_STATE_RE.exec(message)?.[1] ?? null;
    return new InvalidStateError(`The ${spec.noun} is not in a state that allows this.`, state, graph);
  }
  if (status === 429) {
    const ms = parseRetryAfter(answer.headers.get('retry-after'), now);
    return new ThrottledError(
      'Microsoft Graph is throttling requests.',
      ms === null ? DEFAULT_RETRY_AFTER_SECONDS : ms / 1000,
      graph,
    );
  }
  if (status >= 500) {
    return new UpstreamError(
      `Microsoft Graph failed (HTTP ${status}); the action may or may not have taken effect.`,
      graph,
    );
  }
  return new UpstreamError(`Microsoft Graph refused the request (HTTP ${status}).`, graph);
}

/** A timeout or a network failure: no answer came, so the write may or may not have happened. */
export function noAnswerError(cause: 'timeout' | 'network'): UpstreamError {
  return new UpstreamError(
    cause === 'timeout'
      ? 'Microsoft Graph did not answer in time; the action may or may not have taken effect.'
      : 'Microsoft Graph could not be reached.',
    { status: null, requestId: null, errorCode: null },
  );
}
