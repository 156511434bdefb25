// The one reader of the HTTP `Retry-After` header, for Microsoft Graph and for the Bot Connector.
// RFC 9110 §10.2.3 allows two forms: delay-seconds (Graph also sends fractional seconds, e.g.
// "2.128") and an HTTP-date. Anything else is unreadable: the caller then picks its own backoff
// instead of re-sending at once.

import { parseHttpDate } from './httpDate';

const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds to wait from `now` (epoch ms) before the next attempt; 0 for a date already past;
 * null when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (DELAY_SECONDS.test(v)) {
    const ms = Math.ceil(Number(v) * 1000);
    return Number.isFinite(ms) ? ms : null;
  }
  const at = parseHttpDate(v);
  return at === null ? null : Math.max(0, at - now);
}
