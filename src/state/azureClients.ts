// The blob container and queue clients of the Azure adapter, built from the connection string or,
// keyless, from the two service endpoints and a token credential, with one extra step in their
// request pipelines: every answer's `Date` header, and the local times its request left and it
// came back, go to the storage clock (storageClock.ts). So the
// clock learns from the calls the adapter makes anyway, never from calls of its own.
//
// The SDKs take no extra pipeline step with a connection string, so each client is built twice:
// once from the connection string (which yields the URL, SAS included, and the credential, and
// fills in the options' proxy), then from that URL and credential on a pipeline that carries the
// step. The step wraps the SDK's retries: a retried call's interval is wider, which only makes
// it count for less (see storageClock.ts), never wrong.
// Keyless, the pipeline signs each request with a bearer token for https://storage.azure.com/.default
// (the SDK's default scope, the audience of every storage account:
// https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory), got by
// the credential within the call's deadline (boundedCredential.ts).

import {
  ContainerClient,
  HttpOperationResponse,
  RequestPolicy,
  RequestPolicyFactory,
  StoragePipelineOptions,
  WebResource,
  newPipeline as newBlobPipeline,
} from '@azure/storage-blob';
import { QueueClient, newPipeline as newQueuePipeline } from '@azure/storage-queue';
import type { TokenCredential } from '@azure/identity';
import { boundedCredential } from './boundedCredential';
import { StorageClock } from './storageClock';

/** The storage account: a connection string, or the endpoints of its Blob and Queue services
 * (https, no trailing slash) and a credential whose tokens Azure RBAC authorizes. */
export type AzureAccount =
  | { readonly connectionString: string }
  | { readonly blobEndpoint: string; readonly queueEndpoint: string; readonly credential: TokenCredential };

/** What the adapter sets in its clients' pipelines. */
type PipelineOptions = Pick<StoragePipelineOptions, 'retryOptions' | 'httpClient'>;

export interface AzureClients {
  readonly container: ContainerClient;
  readonly queue: QueueClient;
}

/** Clients of `container` and `queue` in `account` whose answers teach `clock`; a token takes at
 * most `tokenTimeoutMs`. Throws what the SDK throws for a connection string it does not accept. */
export function azureClients(
  account: AzureAccount,
  names: { readonly container: string; readonly queue: string },
  options: PipelineOptions,
  clock: StorageClock,
  tokenTimeoutMs: number,
): AzureClients {
  if (!('connectionString' in account)) {
    const credential = boundedCredential(account.credential, tokenTimeoutMs);
    const urls = {
      container: `${account.blobEndpoint}/${names.container}`,
      queue: `${account.queueEndpoint}/${names.queue}`,
    };
    return observedClients(urls, credential, { ...options }, { ...options }, clock);
  }
  const { connectionString } = account;
  // One options object per client: the SDK writes the connection string's proxy into it.
  const blobOptions = { ...options };
  const plainContainer = new ContainerClient(connectionString, names.container, blobOptions);
  const queueOptions = { ...options };
  const plainQueue = new QueueClient(connectionString, names.queue, queueOptions);
  // The queue client does not show its credential; it is the blob client's (one account: its
  // shared key, or anonymous with the SAS in the URL).
  const urls = { container: plainContainer.url, queue: plainQueue.url };
  return observedClients(urls, plainContainer.credential, blobOptions, queueOptions, clock);
}

/** The clients of the container and the queue at `urls`, each on its own pipeline with `credential`
 * and the step that shows its answers to `clock` added last. */
function observedClients(
  urls: { readonly container: string; readonly queue: string },
  credential: ContainerClient['credential'],
  blobOptions: PipelineOptions,
  queueOptions: PipelineOptions,
  clock: StorageClock,
): AzureClients {
  const blobPipeline = newBlobPipeline(credential, blobOptions);
  blobPipeline.factories.push(dateObserver(clock));
  const queuePipeline = newQueuePipeline(credential, queueOptions);
  queuePipeline.factories.push(dateObserver(clock));
  return {
    container: new ContainerClient(urls.container, blobPipeline),
    queue: new QueueClient(urls.queue, queuePipeline),
  };
}

/** A pipeline step that shows every answer (a refusal included) to the clock, and changes
 * nothing: the request, the answer and any failure go on as they were. */
export function dateObserver(clock: StorageClock): RequestPolicyFactory {
  return {
    create: (next: RequestPolicy): RequestPolicy => ({
      sendRequest: async (request: WebResource): Promise<HttpOperationResponse> => {
        const sentAt = clock.localNow();
        try {
          const response = await next.sendRequest(request);
          clock.observe(response.headers.get('date'), sentAt, clock.localNow());
          return response;
        } catch (e) {
          // A refusal the SDK throws still carries the service's answer; a network failure has none.
          clock.observe(dateOfFailure(e), sentAt, clock.localNow());
          throw e;
        }
      },
    }),
  };
}

function dateOfFailure(e: unknown): unknown {
  const headers = (e as { response?: { headers?: { get?: unknown } } } | null)?.response?.headers;
  return typeof headers?.get === 'function' ? (headers.get as (name: string) => unknown).call(headers, 'date') : null;
}
