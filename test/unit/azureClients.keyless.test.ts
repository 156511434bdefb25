// The keyless storage clients (STORAGE_BLOB_ENDPOINT, STORAGE_QUEUE_ENDPOINT): every request is
// authorized with an OAuth bearer token for Azure Storage and never signed with Shared Key
// (https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory,
// https://learn.microsoft.com/azure/storage/queues/authorize-access-azure-active-directory;
// the scope https://storage.azure.com/.default is the audience of any storage account:
// https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory#microsoft-entra-resource-id-for-azure-storage),
// and getting the token has the call's deadline: a managed-identity endpoint that never answers
// fails the call in time instead of holding it, and the next call asks again.
// On Azurite with OAuth, e2e/state.azurite.keyless.test.ts runs the bot on these clients.

import type { AccessToken, TokenCredential } from '@azure/identity';
import type { HttpOperationResponse, IHttpClient, WebResource } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { AzureState } from '../../src/state/azure';
import { storageCall } from '../../src/state/azureCall';
import { azureClients } from '../../src/state/azureClients';
import { StateUnavailableError } from '../../src/state/port';
import { StorageClock } from '../../src/state/storageClock';

const BLOB = 'https://governancebot.blob.core.windows.net';
const QUEUE = 'https://governancebot.queue.core.windows.net';
const names = { container: 'governance-bot', queue: 'governance-bot-outbox' };
const retryOptions = { maxTries: 1, tryTimeoutInMs: 2000 };

const token = (value: string): AccessToken => ({ token: value, expiresOnTimestamp: Date.now() + 3_600_000 });

/** A transport that answers 201 to everything and keeps each request's headers. */
function recorder(): IHttpClient & { readonly seen: Array<{ url: string; headers: Record<string, string> }> } {
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  return {
    seen,
    sendRequest: (request: WebResource): Promise<HttpOperationResponse> => {
      seen.push({ url: request.url, headers: request.headers.rawHeaders() });
      const headers = { date: new Date().toUTCString(), etag: '"0x1"', 'x-ms-request-id': 'r' };
      return Promise.resolve({
        request,
        status: 201,
        headers: { ...request.headers, get: (n: string) => headers[n as 'date'], toJson: () => headers },
        bodyAsText: '',
      } as unknown as HttpOperationResponse);
    },
  };
}

/** The keyless clients on `credential`, over `httpClient`, each wait for a token bounded by `tokenTimeoutMs`. */
function keylessClients(credential: TokenCredential, httpClient: IHttpClient, tokenTimeoutMs: number) {
  const account = { blobEndpoint: BLOB, queueEndpoint: QUEUE, credential };
  return azureClients(account, names, { retryOptions, httpClient }, new StorageClock(), tokenTimeoutMs);
}

describe('keyless storage clients (a token credential, no account key)', () => {
  it('authorize every blob and queue request with a bearer token for Azure Storage, never Shared Key', async () => {
    const scopes: Array<string | string[]> = [];
    const credential: TokenCredential = {
      getToken: (s) => {
        scopes.push(s);
        return Promise.resolve(token('storage-token-1'));
      },
    };
    const transport = recorder();
    const clients = keylessClients(credential, transport, 1000);
    await clients.container.create();
    await clients.container.getBlockBlobClient('health/check').upload('x', 1);
    await clients.queue.create();
    assert.deepEqual(
      transport.seen.map((r) => new URL(r.url).origin + new URL(r.url).pathname),
      [`${BLOB}/governance-bot`, `${BLOB}/governance-bot/health/check`, `${QUEUE}/governance-bot-outbox`],
    );
    for (const r of transport.seen) {
      const auth = Object.entries(r.headers).filter(([k]) => k.toLowerCase() === 'authorization');
      assert.deepEqual(
        auth.map(([, v]) => v),
        ['Bearer storage-token-1'],
        r.url,
      );
      assert.ok(!Object.values(r.headers).some((v) => /SharedKey/i.test(v)), 'no Shared Key signature');
      assert.ok(!/[?&]sig=/.test(r.url), 'no SAS');
    }
    assert.deepEqual([...new Set(scopes.flat())], ['https://storage.azure.com/.default']);
  });

  it('a credential that never answers fails the storage call within its deadline, not later', async () => {
    let asked = 0;
    const hung: TokenCredential = {
      getToken: () => {
        asked++;
        return new Promise<AccessToken | null>(() => undefined);
      },
    };
    const state = new AzureState({
      keyless: { blobEndpoint: BLOB, queueEndpoint: QUEUE, credential: hung },
      container: 'governance-bot',
      timeoutMs: 300,
    });
    const started = Date.now();
    await assert.rejects(
      state.check(),
      (e: unknown) => e instanceof StateUnavailableError && /StorageTokenTimeout/.test(e.message),
    );
    assert.ok(Date.now() - started < 2000, `failed after ${Date.now() - started} ms`);
    assert.ok(asked >= 1);
  });

  it('after a token that came too late, the next call asks again and goes through', async () => {
    let calls = 0;
    const credential: TokenCredential = {
      getToken: () => (++calls === 1 ? new Promise<AccessToken | null>(() => undefined) : Promise.resolve(token('t2'))),
    };
    const transport = recorder();
    const clients = keylessClients(credential, transport, 200);
    await assert.rejects(
      clients.container.create(),
      (e: unknown) => (e as { code?: unknown }).code === 'StorageTokenTimeout',
    );
    assert.equal(transport.seen.length, 0, 'nothing left without a token');
    await clients.container.create();
    assert.equal(transport.seen[0]?.headers.authorization ?? transport.seen[0]?.headers.Authorization, 'Bearer t2');
  });

  it('a call that waits on a token refresh already under way still fails within its deadline', async () => {
    // The SDK's bearer policy (core-rest-pipeline's token cycler) refreshes a token from 2 minutes
    // before it expires; once it is about to expire, every call waits for that refresh, which tries
    // again every 3 s while the old token lasts and once more after: far past one call's deadline,
    // however soon each try (boundedCredential) gives up. The deadline holds whatever the SDK waits on.
    let asked = 0;
    const credential: TokenCredential = {
      getToken: () =>
        ++asked === 1
          ? Promise.resolve({ token: 'soon-expired', expiresOnTimestamp: Date.now() + 1_200 })
          : new Promise<AccessToken | null>(() => undefined),
    };
    const clients = keylessClients(credential, recorder(), 200);
    const context = { timeoutMs: 200 };
    await storageCall(context, 'create', (abortSignal) => clients.container.create({ abortSignal }));
    // Within a second of the token's expiry: the next call must wait for a new one.
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await assert.rejects(
      storageCall(context, 'create', (abortSignal) => clients.container.create({ abortSignal })),
      StateUnavailableError,
    );
    const took = Date.now() - started;
    assert.ok(took < 1_000, `failed after ${took} ms, its deadline being 200 ms`);
  });

  it('a refused token fails the call without the credential message (it may name the identity endpoint)', async () => {
    const refusing: TokenCredential = {
      getToken: () =>
        Promise.reject(
          Object.assign(
            new Error('ManagedIdentityCredential: http://169.254.129.7:8081/msi/token?api-version=2019-08-01 said 400'),
            {
              name: 'CredentialUnavailableError',
            },
          ),
        ),
    };
    const state = new AzureState({
      keyless: { blobEndpoint: BLOB, queueEndpoint: QUEUE, credential: refusing },
      container: 'governance-bot',
      timeoutMs: 1000,
    });
    await assert.rejects(state.check(), (e: unknown) => {
      assert.ok(e instanceof StateUnavailableError);
      assert.match(e.message, /StorageTokenUnavailable/);
      assert.doesNotMatch(e.message, /169\.254|msi|http/);
      return true;
    });
  });

  it('a credential that throws at once fails the call as one that refuses does, without its message', async () => {
    const throwing: TokenCredential = {
      getToken: () => {
        throw Object.assign(new Error('ManagedIdentityCredential: http://169.254.169.254/metadata/identity said no'), {
          name: 'CredentialUnavailableError',
        });
      },
    };
    const state = new AzureState({
      keyless: { blobEndpoint: BLOB, queueEndpoint: QUEUE, credential: throwing },
      container: 'governance-bot',
      timeoutMs: 1000,
    });
    await assert.rejects(state.check(), (e: unknown) => {
      assert.ok(e instanceof StateUnavailableError);
      assert.match(e.message, /StorageTokenUnavailable/);
      assert.doesNotMatch(e.message, /169\.254|metadata|http/);
      return true;
    });
  });
});
