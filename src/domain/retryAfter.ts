// The one reader of the HTTP `Retry-After` header, for Microsoft Graph and for the Bot Connector.
// RFC 9110 §10.2.3 allows two forms: delay-seconds (Graph also sends fractional seconds, e.g.
// "2.128") and an HTTP-date. Anything else is unreadable: the caller then picks its own backoff
// instead of re-sending at once.

import { parseHttpDate } from './httpDate';

const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;

/** A `Date` further than this from the local clock is no clock to count from (a broken proxy, a
 * header from another time): real skew between a host and Graph is seconds, at worst minutes. */
const MAX_DATE_SKEW_MS = 3_600_000;

/**
 * Milliseconds to wait from `now` (epoch ms) before the next attempt; 0 for a date already past;
 * null when the header is absent or unreadable. A date is counted from the answer's own `Date`
 * header when `answeredAt` gives a readable one: both are the server's clock, so a skewed local
 * clock neither shortens the wait (to a re-send at once, which throttling only prolongs:
 * https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling) nor lengthens it.
 * A `Date` absurdly far from now (MAX_DATE_SKEW_MS) is not trusted: the date counts from now.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number,
  answeredAt?: string | null,
): number | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (DELAY_SECONDS.test(v)) {
    const ms = Math.ceil(Number(v) * 1000);
    return Number.isFinite(ms) ? ms : null;
  }
  const at = parseHttpDate(v);
  if (at === null) return null;
  const served = parseHttpDate(answeredAt);
  const from = served !== null && Math.abs(served - now) <= MAX_DATE_SKEW_MS ? served : now;
  return Math.max(0, at - from);
}
