// MSAL's network client for the sign-in host, with what the default one lacks: a deadline on
// every call (its POST has none) and an optional extra CA for a private authority on loopback
// (the simulated tenant) in processes that do not have NODE_EXTRA_CA_CERTS. Nothing else: no
// proxy, no retries (an authorization code is single use, so a redemption is never re-sent).

import * as https from 'node:https';
import * as tls from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** The sign-in host did not answer in time or could not be reached (no response to classify). */
export class AuthorityUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorityUnreachableError';
  }
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

export class DeadlineHttpClient implements INetworkModule {
  constructor(
    private readonly timeoutMs: number,
    /** Extra PEM to trust besides Node's roots (which include NODE_EXTRA_CA_CERTS). */
    private readonly ca?: string,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, Math.min(timeout ?? this.timeoutMs, this.timeoutMs));
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options, this.timeoutMs);
  }

  private send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeoutMs: number,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    if (target.protocol !== 'https:') {
      return Promise.reject(new AuthorityUnreachableError('The sign-in host must use https.'));
    }
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    const headers: Record<string, string | number> = { ...(options?.headers ?? {}) };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        target,
        {
          method,
          headers,
          // Giving `ca` replaces Node's roots, so they are kept next to the extra one.
          ...(this.ca ? { ca: [...tls.rootCertificates, this.ca] } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_RESPONSE_BYTES)
              req.destroy(new AuthorityUnreachableError('The sign-in host answered too much.'));
            else chunks.push(c);
          });
          res.on('error', (e) => reject(unreachable(e)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text === '' ? {} : JSON.parse(text);
            } catch {
              reject(
                new AuthorityUnreachableError(`The sign-in host answered HTTP ${res.statusCode ?? 0} without JSON.`),
              );
              return;
            }
            // A 5xx or a 429 without an OAuth `error` is Entra (or a gateway before it) not
            // serving, not refusing: MSAL would read its empty answer as a token response without a
            // token, which the person would be told as a failed sign-in of theirs.
            const status = res.statusCode ?? 0;
            if ((status >= 500 || status === 429) && !oauthError(parsed)) {
              reject(new AuthorityUnreachableError(`The sign-in host answered HTTP ${status} without an OAuth error.`));
              return;
            }
            const responseHeaders: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
            }
            resolve({ headers: responseHeaders, body: parsed as T, status: res.statusCode ?? 0 });
          });
        },
      );
      req.on('error', (e) => reject(unreachable(e)));
      req.end(body);
    });
  }
}

/** Whether a token endpoint answer carries the OAuth `error` that says why Entra refused. */
function oauthError(body: unknown): boolean {
  return body !== null && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string';
}

function unreachable(e: unknown): Error {
  if (e instanceof AuthorityUnreachableError) return e;
  const name = e instanceof Error ? e.name : '';
  return new AuthorityUnreachableError(
    name === 'AbortError' || name === 'TimeoutError'
      ? 'The sign-in host did not answer in time.'
      : 'The sign-in host could not be reached.',
  );
}
