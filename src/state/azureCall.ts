// Every Azure Storage call made by the state adapter goes through `storageCall`: it gets a
// deadline, and any failure leaves as a StateUnavailableError that names the operation and the
// storage code only. The SDK's own errors carry request URLs (account, container, blob name) and
// headers: they never leave this module, not even as a `cause`.

import { within } from '../domain/clock';
import { StateUnavailableError } from './port';

export interface CallContext {
  /** Deadline of one call, retries included. */
  readonly timeoutMs: number;
  /** Aborted when the store is closed: no call starts after it, and calls under way are cut. */
  readonly closed?: AbortSignal;
}

/** The refusal of a call on a closed store: the same words as the SQLite store's. */
export function closedError(): StateUnavailableError {
  return new StateUnavailableError('state store: closed');
}

/** The HTTP status of a storage error, when the service answered. */
export function statusOf(e: unknown): number | undefined {
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The storage error code (`BlobAlreadyExists`, `ConditionNotMet`, `ECONNREFUSED`, ...). */
export function codeOf(e: unknown): string | undefined {
  const withCode = e as { code?: unknown; details?: { errorCode?: unknown } } | null;
  const code = withCode?.details?.errorCode ?? withCode?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A failure that is an answer, not an outage (a condition not met, a missing blob). */
export type Expected<R> = (e: unknown) => { readonly value: R } | undefined;

// The storage codes that answer a condition, never the ones that say the container is missing:
// a 404 or 409 alone cannot tell "the blob is not there" from "the container is not there"
// (ContainerNotFound, ContainerBeingDeleted). Codes:
// https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes; conditions:
// https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations
/** The blob is not there: the answer of a read or an unconditional delete. */
export const BLOB_MISSING: ReadonlySet<string> = new Set(['BlobNotFound']);
/** A conditional write or delete lost: the blob exists (If-None-Match: *, 409), it changed
 * (If-Match, 412), or it is gone (404 on some operations, 412 on others). */
export const CONDITION_LOST: ReadonlySet<string> = new Set(['BlobAlreadyExists', 'ConditionNotMet', 'BlobNotFound']);

/** An answer of `value` for exactly these storage codes; every other failure is an outage. */
export function answer<R>(codes: ReadonlySet<string>, value: R): Expected<R> {
  return (e) => {
    const code = codeOf(e);
    return code !== undefined && codes.has(code) ? { value } : undefined;
  };
}

/** A storage code about the container itself (ContainerNotFound, ContainerBeingDeleted,
 * ContainerDisabled, ...): whatever was cached about it no longer holds. */
export function isContainerCode(e: unknown): boolean {
  return codeOf(e)?.startsWith('Container') ?? false;
}

/** A storage code about the queue itself (QueueNotFound, QueueBeingDeleted, QueueDisabled):
 * https://learn.microsoft.com/rest/api/storageservices/queue-service-error-codes. A 404 alone
 * cannot tell it from MessageNotFound (a lease lost), so only the code says. */
export function isQueueCode(e: unknown): boolean {
  return codeOf(e)?.startsWith('Queue') ?? false;
}

// How long past its deadline a call is left to end on its own abort (and say why: a token that did
// not come, a request cut short) before it is given up regardless.
const BACKSTOP_GRACE_MS = 250;

/** Runs `work` with an abort signal that fires after the deadline. A failure that `expected`
 * turns into a value is that value; any other becomes a StateUnavailableError. The call settles
 * by the deadline (and a short grace) even when the SDK does not heed the signal: its bearer
 * policy makes every call wait for a token refresh under way, which goes on retrying every 3 s
 * until the old token expires, whatever the waiting calls' signals say. */
export async function storageCall<R>(
  context: CallContext,
  what: string,
  work: (abortSignal: AbortSignal) => Promise<R>,
  expected?: Expected<R>,
): Promise<R> {
  const { closed } = context;
  if (closed?.aborted) throw closedError();
  const cut = closed ? untilClosed(closed, context.timeoutMs) : null;
  const signal = cut?.signal ?? AbortSignal.timeout(context.timeoutMs);
  try {
    // What the work does after it is given up is ignored: a write may still land, as it may after
    // any abort once it was sent.
    const settled = within(work(signal), context.timeoutMs + BACKSTOP_GRACE_MS, late);
    return await (cut ? Promise.race([settled, cut.closed]) : settled);
  } catch (e) {
    if (e instanceof StateUnavailableError) throw e;
    if (closed?.aborted) throw closedError();
    const answer = expected?.(e);
    if (answer) return answer.value;
    // A deadline that cut an answer half read makes the SDK fail parsing what it got: what failed
    // is time. Any other failure keeps its own code (a token that did not come in time names it).
    throw unavailable(what, signal.aborted && codeOf(e) === 'PARSE_ERROR' ? late() : e);
  } finally {
    cut?.forget();
  }
}

export function unavailable(what: string, e: unknown): StateUnavailableError {
  const aborted = (e as { name?: unknown } | null)?.name === 'AbortError';
  const reason = aborted ? 'no answer in time' : [statusOf(e), codeOf(e)].filter((x) => x !== undefined).join(' ');
  // Only a short token of the code: a free-text message could echo a URL.
  const safe = reason.replace(/[^A-Za-z0-9 _.-]/g, '').slice(0, 60) || 'unknown';
  return new StateUnavailableError(`state store: ${what} failed (${safe})`);
}

/** One call's signal, aborted at its deadline or when the store closes, and a promise that
 * rejects at the close (the SDK may not heed the signal while it waits for a token). `forget`
 * takes the call's listener off the store's signal once the call has settled: that signal lives
 * as long as the store (AbortSignal.any would keep every call's signal tied to it,
 * https://github.com/nodejs/node/issues/55351). */
function untilClosed(
  closed: AbortSignal,
  timeoutMs: number,
): { readonly signal: AbortSignal; readonly closed: Promise<never>; readonly forget: () => void } {
  const call = new AbortController();
  const deadline = AbortSignal.timeout(timeoutMs);
  deadline.addEventListener('abort', () => call.abort(deadline.reason), { once: true });
  let onClose = (): void => undefined;
  const closing = new Promise<never>((_, reject) => {
    onClose = () => {
      call.abort(closedError());
      reject(closedError());
    };
    closed.addEventListener('abort', onClose, { once: true });
  });
  // Settled by the race it is given to, or never: no rejection is left unhandled.
  closing.catch(() => undefined);
  return { signal: call.signal, closed: closing, forget: () => closed.removeEventListener('abort', onClose) };
}

/** The failure of a call given up at its deadline: named AbortError, as the SDK's own abort is. */
function late(): Error {
  const e = new Error('the storage call did not end by its deadline');
  e.name = 'AbortError';
  return e;
}
