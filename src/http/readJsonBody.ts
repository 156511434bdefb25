// Reads a JSON request body with a byte limit enforced while it arrives, whether the sender gave
// a Content-Length or streamed it chunked. Replaces restify's bodyParser, which reads a chunked
// body to its end before judging its size, inflates gzip without a limit, and answers malformed
// JSON with its own error shape (quoting the parser's message) instead of the route's.
// The body must also arrive within a deadline: a client that trickles it a byte at a time would
// otherwise hold the connection (and the request's memory) until the server's request timeout.

import type { IncomingMessage } from 'node:http';

export type JsonBody =
  /** `text`: the body as decoded, for checks JSON.parse cannot make (duplicateNames.ts). */
  | { readonly kind: 'json'; readonly value: unknown; readonly text: string }
  | { readonly kind: 'tooLarge' }
  | { readonly kind: 'malformed'; readonly problem: string }
  | { readonly kind: 'unsupported'; readonly problem: string }
  | { readonly kind: 'aborted' }
  /** The body did not arrive whole within the deadline; the route answers 408 and closes. */
  | { readonly kind: 'timeout' };

/** How long a body may take to arrive, counted from when the route starts reading it. The largest
 * body taken is 256 KiB, which any client sends in far less. */
const BODY_TIMEOUT_MS = 30_000;

/** JSON between systems MUST be UTF-8 (RFC 8259 §8.1). Buffer's own decoding puts U+FFFD in place
 * of any byte that is not: a name sent in Latin-1 (Windows PowerShell 5.1 sends a string body so by
 * default) would be stored garbled, answered as if taken as written. A byte order mark is left in
 * the text, as before, where JSON.parse refuses it (notJson names it). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function readJsonBody(req: IncomingMessage, maxBytes: number, timeoutMs = BODY_TIMEOUT_MS): Promise<JsonBody> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ kind: 'tooLarge' });
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return Promise.resolve({ kind: 'unsupported', problem: 'The body must not be compressed (Content-Encoding).' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (result: JsonBody) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      resolve(result);
    };
    const timer = setTimeout(() => {
      chunks.length = 0;
      settle({ kind: 'timeout' });
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        // Stop keeping what arrives; the route answers 413 and closes the connection.
        chunks.length = 0;
        settle({ kind: 'tooLarge' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      let text: string;
      try {
        text = STRICT_UTF8.decode(Buffer.concat(chunks));
      } catch {
        return settle({ kind: 'malformed', problem: 'The body is not valid UTF-8 (JSON must be sent as UTF-8).' });
      }
      if (text.trim() === '')
        return settle({ kind: 'malformed', problem: 'The body is empty; a JSON object is required.' });
      try {
        settle({ kind: 'json', value: JSON.parse(text) as unknown, text });
      } catch {
        settle({ kind: 'malformed', problem: notJson(text) });
      }
    });
    req.once('error', () => settle({ kind: 'aborted' }));
    req.once('aborted', () => settle({ kind: 'aborted' }));
    req.once('close', () => settle({ kind: 'aborted' }));
  });
}

/** What is wrong with a body JSON.parse refused, in words that say what to change when it is JSON
 * sent otherwise than RFC 8259 §8.1 asks (Windows PowerShell 5.1 writes UTF-8 files with a byte
 * order mark, and UTF-16 as its "Unicode"): a byte order mark, or the NUL bytes of UTF-16 text
 * (never in JSON text: a control character must be escaped even inside a string). */
function notJson(text: string): string {
  if (text.startsWith('\uFEFF'))
    return 'The body begins with a byte order mark (U+FEFF), which JSON must be sent without: send it as UTF-8 without one.';
  if (text.includes('\u0000'))
    return 'The body holds NUL bytes, as UTF-16 text does, and is not valid JSON: JSON must be sent as UTF-8.';
  return 'The body is not valid JSON.';
}
