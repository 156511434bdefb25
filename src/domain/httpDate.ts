// The one reader of an HTTP-date (RFC 9110 §5.6.7): the `Date` of an answer, a `Retry-After` given
// as a date. IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 and asctime all start with a
// day name; anything else (an ISO date, a number) is not one.

const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/** The epoch ms of an HTTP-date, or null when `value` is not one. */
export function parseHttpDate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (!HTTP_DATE.test(v)) return null;
  // An HTTP-date is always GMT; asctime's form does not say so, and Date.parse would read it as local.
  const at = Date.parse(/\b(?:GMT|UTC)\b/i.test(v) ? v : `${v} GMT`);
  return Number.isFinite(at) ? at : null;
}
