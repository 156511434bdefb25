// Retry-After in both of its forms (RFC 9110 §10.2.3): a number of seconds (Graph and Teams send
// fractions too) or an HTTP-date. https://www.rfc-editor.org/rfc/rfc9110#field.retry-after

/** How many milliseconds from `now` the header asks to wait (0 for a date already past), or null
 * when there is no usable value. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only a date with a weekday-or-digit start; Date.parse alone accepts "1 2" and the like.
  if (!/^[A-Za-z]{3},|^[A-Za-z]+day,|^[A-Za-z]{3} /.test(text)) return null;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}
