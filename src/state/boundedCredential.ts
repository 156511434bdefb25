// A deadline on getting a storage token. The SDK's bearer policy (core-rest-pipeline) awaits
// getToken before the request leaves and races it against nothing, not even the call's abort
// signal; its token cycler shares one pending refresh among every call that needs a token. So a
// managed-identity endpoint that never answers would hold each storage call (a turn, the intake,
// the outbox worker) for as long as it stays silent, and every later call with it. Bounded, the
// refresh fails in time, each waiting call fails with it (storageCall turns that into a
// StateUnavailableError), and the next call asks again. This bounds each try; a refresh begun while
// the old token still lasts tries again every 3 s until it expires, so storageCall also gives up on
// a call at its own deadline, whatever the SDK waits on.
//
// The deadline is the wrapper's own, not the first caller's abort signal: the refresh is shared,
// and one call whose deadline is nearly spent should not fail the others that wait on it.

import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { within } from '../domain/clock';

/** What a storage call fails with when no token came in time; its code names it in the
 * StateUnavailableError (azureCall.ts `codeOf`), never the endpoint or a token. */
class StorageTokenTimeoutError extends Error {
  readonly code = 'StorageTokenTimeout';
  constructor(timeoutMs: number) {
    super(`no storage token within ${timeoutMs} ms`);
    this.name = 'StorageTokenTimeoutError';
  }
}

/** What a storage call fails with when the credential refused or failed: its own message may
 * name the identity endpoint, so only its class name goes on. */
class StorageTokenError extends Error {
  readonly code = 'StorageTokenUnavailable';
  constructor(kind: string) {
    super(`no storage token (${kind})`);
    this.name = 'StorageTokenError';
  }
}

/** `inner`, with every getToken settled within `timeoutMs`. */
export function boundedCredential(inner: TokenCredential, timeoutMs: number): TokenCredential {
  return {
    getToken: (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> => {
      const abort = new AbortController();
      const { abortSignal: _callersSignal, ...rest } = options ?? {};
      // Async, so that a credential that throws at once fails as one that rejects does.
      const token = (async () => inner.getToken(scopes, { ...rest, abortSignal: abort.signal }))().catch(
        (e: unknown) => {
          const kind = (e as { name?: unknown } | null)?.name;
          throw new StorageTokenError(typeof kind === 'string' ? kind.replace(/[^A-Za-z]/g, '') : 'Error');
        },
      );
      return within(token, timeoutMs, () => {
        abort.abort();
        return new StorageTokenTimeoutError(timeoutMs);
      });
    },
  };
}
