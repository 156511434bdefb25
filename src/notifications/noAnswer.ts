// Why a send to Teams ended without an HTTP status, in words true of that failure: a reason
// stored on an undeliverable event or alert delivery says what the last attempt met, and "no
// answer in time" for a connection Teams refused or an address that could not be looked up
// would send an administrator looking for a slow service instead of a network or DNS fault.
// https://nodejs.org/api/errors.html#common-system-errors

import { isTokenFailure } from './connectorRefusal';

/** A send cut off by its own deadline (sendWithDeadline). */
export class SendTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor() {
    super('the send took too long');
    this.name = 'SendTimeoutError';
  }
}

const TIMED_OUT = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** The last answer of a send in words: its status when Teams gave one, else why none came. */
export function lastAnswerWords(status: number | null, error: unknown): string {
  if (status !== null) return String(status);
  if (isTokenFailure(error)) return 'the bot could not get its own token from Microsoft Entra ID';
  const code = codeOf(error);
  if (code !== null && TIMED_OUT.has(code)) return 'no answer in time';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code !== null && UNRESOLVED.has(code)) return "Teams' address could not be looked up";
  if (code !== null && BROKEN.has(code)) return 'the connection broke before an answer';
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time';
  return 'no answer';
}

/** The system error's code, on the error or its cause (fetch wraps it in "fetch failed"). */
function codeOf(e: unknown): string | null {
  for (let o = e as { code?: unknown; cause?: unknown } | null, depth = 0; o && depth < 3; depth++) {
    if (typeof o.code === 'string' && o.code) return o.code;
    o = o.cause as typeof o;
  }
  return null;
}
