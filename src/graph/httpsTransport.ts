// Graph's HTTP exchange over node:https with one keep-alive agent per process. Node 20's global
// fetch (undici's WHATWG layer) spends about three times the CPU of node:https on the same
// request: 0.40 against 0.14 ms per POST with a 3 KB answer to a local TLS server, warmed, client
// side only. A command turn makes one such request, a list turn several, so the Graph client's
// last step uses this instead. It is a fetch in shape only: what FetchStep and the membership
// check need (method, headers, a string or byte body, an abort signal) and nothing else: no
// redirects (Graph's calls here answer directly), no decompression (no Accept-Encoding is sent).

import * as https from 'node:https';
import { bufferedResponse } from './bufferedResponse';
import type { FetchLike } from './fetchStep';

/** An idle connection is closed after this long, before a server or a load balancer drops it
 * under a request (the same default as undici's). */
const IDLE_MS = 4_000;
/** An answer larger than this is refused rather than buffered: Graph's pages are far smaller. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const sharedAgent = new https.Agent({ keepAlive: true, timeout: IDLE_MS, maxSockets: 256 });

/** The failures of requests that never left: no connection, or no TLS session on it, so not a
 * byte of the request was written (node:http holds it until the socket is ready); and the abort
 * signals that ended a request before then (a deadline that came while it was still connecting,
 * or still waiting for a free connection). */
const unsent = new WeakSet<object>();

/** Whether `e`, a failure of this transport, came before any of the request was sent; or, given
 * the abort signal of a request, whether that signal ended it before any of it was sent. */
export function neverSent(e: unknown): boolean {
  return typeof e === 'object' && e !== null && unsent.has(e);
}

/** The status codes whose answers have no body (a Response refuses one for them). */
const NO_BODY = new Set([101, 204, 205, 304]);

export interface HttpsFetchOptions {
  /** Connections to reuse; one shared keep-alive agent by default. */
  readonly agent?: https.Agent;
  readonly maxAnswerBytes?: number;
}

export function httpsFetch({
  agent = sharedAgent,
  maxAnswerBytes = MAX_ANSWER_BYTES,
}: HttpsFetchOptions = {}): FetchLike {
  return (input, init = {}) => {
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : new URL(input.url);
    if (url.protocol !== 'https:') return Promise.reject(new TypeError('Microsoft Graph must be reached over https.'));
    const method = (init.method ?? 'GET').toUpperCase();
    let body: Buffer | undefined;
    try {
      body = bodyBytes(init.body);
    } catch (e) {
      return Promise.reject(e);
    }
    const headers = headerRecord(init.headers);
    if (body) headers['content-length'] = String(body.length);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<Response>((resolve, reject) => {
      const req = https.request(url, { method, headers, agent }, (res) => {
        // A busy service answers 503; its retry must go over a new connection, so this one is
        // closed once the answer is read instead of going back to the pool
        // (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors).
        if (res.statusCode === 503) req.shouldKeepAlive = false;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxAnswerBytes) req.destroy(new TypeError('Microsoft Graph answered more than the bot reads.'));
          else chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          try {
            const answerHeaders = new Headers();
            for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
              answerHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            const empty = size === 0 || NO_BODY.has(status) || method === 'HEAD';
            const init = { status, statusText: res.statusMessage ?? '', headers: answerHeaders };
            // The body is in memory already: a BufferedResponse reads it without a stream.
            resolve(empty ? new Response(null, init) : bufferedResponse(Buffer.concat(chunks), init));
          } catch (e) {
            // A status a Response cannot carry (below 200 or above 599), or a header it refuses,
            // is no Graph answer.
            reject(e instanceof Error ? e : new TypeError(String(e)));
          }
        });
      });
      // A kept connection was ready already; a new one is once its TLS handshake completed. A
      // request queued while every socket was busy is handed a kept one that `reusedSocket` does
      // not mark (node:http sets it only for a socket free when the request was made): a socket
      // no longer connecting is taken as ready, so a failure on it is never told as not sent.
      let ready = false;
      req.once('socket', (socket) => {
        if (req.reusedSocket || !socket.connecting) ready = true;
        else socket.once('secureConnect', () => (ready = true));
      });
      req.on('error', (e) => {
        if (!ready && typeof e === 'object' && e !== null && !signal?.aborted) unsent.add(e);
        reject(e);
      });
      // The signal ends the request as node:https's own `signal` option would (the same error),
      // with one listener instead of the stream watchers that option attaches to every request.
      if (signal) {
        const onAbort = (): void => {
          // Aborted before its socket was ready, the request is dropped unwritten.
          if (!ready) unsent.add(signal);
          req.destroy(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        req.once('close', () => signal.removeEventListener('abort', onAbort));
      }
      req.end(body);
    });
  };
}

/** What node:https rejects an aborted request with: an Error named AbortError, the signal's
 * reason as its cause. */
function abortError(signal: AbortSignal): Error {
  const e = new Error('The operation was aborted', { cause: signal.reason });
  e.name = 'AbortError';
  return Object.assign(e, { code: 'ABORT_ERR' });
}

function bodyBytes(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError('A Graph request body must be text or bytes.');
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) headers.forEach((v, k) => (out[k] = v));
  // Repeated names are joined, as fetch joins them.
  else if (Array.isArray(headers))
    for (const [k, v] of headers) {
      const name = k!.toLowerCase();
      out[name] = out[name] === undefined ? v! : `${out[name]}, ${v!}`;
    }
  else for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = String(v);
  return out;
}
