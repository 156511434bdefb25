// The state port on several machines: records on Azure Blob Storage (ETags as versions, see
// azureRecords.ts) and the outbox on Azure Queue Storage (visibility timeouts as leases, see
// azureQueue.ts), in one storage account. The container and the queue are created on first use,
// and again on the call after one that found either removed.
// Every call has a deadline and every failure is a StateUnavailableError without URLs.
// Times are the storage's own (storageClock.ts): expiry written by one machine and judged by
// another is judged on the clock both share, whatever their own clocks say.

import { setMaxListeners } from 'node:events';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import type { TokenCredential } from '@azure/identity';
import { azureClients } from './azureClients';
import { CallContext, codeOf, isContainerCode, isQueueCode, storageCall } from './azureCall';
import { AzureQueue } from './azureQueue';
import { QUARANTINE_PREFIX } from './azureBlobNames';
import { AzureRecords, SweepBudget } from './azureRecords';
import { Records, StatePort, StateUnavailableError, WorkQueue } from './port';
import { NewProblem, ProblemWatcher, StoreProblems, UnlistedWatcher, whereOf } from './problems';
import { StorageClock } from './storageClock';

export interface AzureStateOptions {
  /** An Azure Storage connection string with blob and queue endpoints (STORAGE_CONNECTION_STRING);
   * or `keyless`, exactly one of them. */
  readonly connectionString?: string;
  /** The account's Blob and Queue service endpoints (https, no trailing slash) and the token
   * credential Azure RBAC authorizes (STORAGE_BLOB_ENDPOINT, STORAGE_QUEUE_ENDPOINT). */
  readonly keyless?: {
    readonly blobEndpoint: string;
    readonly queueEndpoint: string;
    readonly credential: TokenCredential;
  };
  /** The blob container of the records (STORAGE_CONTAINER). */
  readonly container: string;
  /** The outbox queue; `outboxQueueName(container)` when omitted. */
  readonly queue?: string;
  /** Deadline of each storage call, its retries included (default 10 s). */
  readonly timeoutMs?: number;
  /** This machine's clock (Date.now when omitted): the storage's `Date` answers correct it into
   * the storage's clock, which judges record expiry and due times (tests skew it to stand in for
   * another machine). */
  readonly now?: () => number;
  /** Stands in for the storage's clock itself, taken as it is, uncorrected (tests that move time
   * by hand). */
  readonly storageTime?: () => number;
  /** Bounds of one sweep of expired records (default 20 s, pages of 1,000 blobs). */
  readonly sweep?: SweepBudget;
}

/** The outbox queue that goes with a container: `<container>-outbox`, the container name cut to
 * 56 characters first if needed (queue names, like container names, are 3-63 lowercase letters,
 * digits and single hyphens, so the result is always a valid queue name). */
export function outboxQueueName(container: string): string {
  return `${container.slice(0, 56).replace(/-+$/, '')}-outbox`;
}

/** An outbox item as enqueue writes it: an object naming its event. */
function isOutboxPayload(payload: unknown): payload is { readonly eventId: string } {
  return (
    typeof payload === 'object' && payload !== null && typeof (payload as { eventId?: unknown }).eventId === 'string'
  );
}

export class AzureState implements StatePort {
  readonly records: Records;
  private readonly recordsStore: AzureRecords;
  readonly outbox: WorkQueue<{ readonly eventId: string }>;
  /** The storage's clock, as this instance reads it: the one every instance sharing the account
   * agrees on (see StatePort.now). */
  readonly now: () => number;
  private readonly problems = new StoreProblems();
  private readonly containerClient: ContainerClient;
  private readonly queueClient: QueueClient;
  private readonly call: CallContext;
  private readonly sweepBudget: SweepBudget;
  private created: Promise<void> | null = null;
  /** Aborted by close(): every call after it is refused, and the calls under way are cut. */
  private readonly closing = new AbortController();

  constructor(options: AzureStateOptions) {
    const storageClock = new StorageClock(options.now);
    const now = options.storageTime ?? storageClock.now;
    this.now = now;
    this.sweepBudget = options.sweep ?? {};
    // Every call under way listens to it: as many at once as callers make (no leak to warn of).
    setMaxListeners(0, this.closing.signal);
    this.call = { timeoutMs: options.timeoutMs ?? 10_000, closed: this.closing.signal };
    // Few, quick retries: the deadline above bounds the whole call anyway.
    const pipeline = {
      retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 1000, tryTimeoutInMs: this.call.timeoutMs },
    };
    // With explicit endpoints and no queue endpoint, the SDK would make one up from the account
    // name (a public host): an emulator or private setup must name its queue endpoint.
    const { connectionString, keyless } = options;
    if ((connectionString === undefined) === (keyless === undefined)) {
      throw new StateUnavailableError(
        'state store: name the account by exactly one of a connection string or keyless endpoints',
      );
    }
    if (
      connectionString !== undefined &&
      /BlobEndpoint=/i.test(connectionString) &&
      !/QueueEndpoint=/i.test(connectionString)
    ) {
      throw new StateUnavailableError('state store: the connection string names a BlobEndpoint but no QueueEndpoint');
    }
    try {
      const names = { container: options.container, queue: options.queue ?? outboxQueueName(options.container) };
      const account = keyless ?? { connectionString: connectionString ?? '' };
      const clients = azureClients(account, names, pipeline, storageClock, this.call.timeoutMs);
      this.containerClient = clients.container;
      this.queueClient = clients.queue;
    } catch {
      // The SDK's message may quote the connection string, key included.
      throw new StateUnavailableError('state store: the Azure Storage connection string was not accepted');
    }
    const ready = () => this.ready();
    const containerLost = () => this.forgetCreated();
    const report = (problem: NewProblem) => this.problems.add(problem);
    this.recordsStore = new AzureRecords(this.containerClient, { ...this.call, now, ready, containerLost, report });
    this.records = this.recordsStore;
    this.outbox = new AzureQueue(this.queueClient, {
      ...this.call,
      now,
      ready,
      queueLost: () => this.forgetCreated(),
      isPayload: isOutboxPayload,
      setAside: async (messageId, text) => {
        const name = `${QUARANTINE_PREFIX}outbox/${messageId}`;
        // Written only if absent: a message met again (its delete was lost) is neither copied nor
        // reported again.
        const made = await storageCall(
          this.call,
          'quarantine',
          async (abortSignal) => {
            const blob = this.containerClient.getBlockBlobClient(name);
            await blob.upload(text, Buffer.byteLength(text), { abortSignal, conditions: { ifNoneMatch: '*' } });
            return true;
          },
          (e) => (codeOf(e) === 'BlobAlreadyExists' ? { value: false } : this.watchStore(e)),
        );
        const reason = 'its text is not an outbox item';
        if (made) {
          report({
            subject: 'outbox item',
            where: whereOf(messageId),
            key: messageId,
            reason,
            keptAs: name,
            text: `outbox message ${messageId}: ${reason}; kept as ${name}`,
          });
        }
      },
    });
  }

  problemCount(): number {
    return this.problems.count();
  }

  watchProblems(watcher: ProblemWatcher, unlisted?: UnlistedWatcher): () => void {
    return this.problems.watch(watcher, unlisted);
  }

  /** Reachable and writable: the container takes a small blob and the queue answers. */
  async check(): Promise<void> {
    await this.ready();
    const probe = new Date(0).toISOString();
    await storageCall(
      this.call,
      'check',
      (abortSignal) =>
        this.containerClient.getBlockBlobClient('health/check').upload(probe, probe.length, { abortSignal }),
      this.watchStore,
    );
    await storageCall(
      this.call,
      'check',
      (abortSignal) => this.queueClient.getProperties({ abortSignal }),
      this.watchStore,
    );
  }

  /** Deletes expired records, at most `limit` per call (the periodic pass runs it). Azure bills
   * per blob, and a record never read again would otherwise stay for good. */
  sweepExpired(limit?: number, stop?: AbortSignal): Promise<number> {
    return this.recordsStore.sweep(limit, this.sweepBudget, stop);
  }

  /** Refuses every call from now on and cuts the ones under way (work left behind at the stop's
   * deadline), as the SQLite store does once closed: nothing is written for this instance after its
   * liveness has ended. What it leased it has given back before (the delivery's stop, the
   * instance's end); an answer lost to the cut is like any other lost answer. The problems' count
   * not yet told is told now, before the process ends. */
  async close(): Promise<void> {
    this.closing.abort();
    this.problems.flush();
  }

  /** The container or the queue was removed (or is being removed): create them on the next call
   * (creating one that exists costs one call), rather than fail every call from now on. What the
   * removed one held is gone; that was the operator's doing. */
  private forgetCreated(): void {
    this.created = null;
  }

  /** Turns no failure into an answer; forgets the container or queue when the service says it is
   * gone. */
  private readonly watchStore = (e: unknown): undefined => {
    if (isContainerCode(e) || isQueueCode(e)) this.forgetCreated();
    return undefined;
  };

  /** Creates the container and the queue once (again after either was lost); a failure is
   * retried on the next call. */
  private ready(): Promise<void> {
    this.created ??= Promise.all([
      storageCall(this.call, 'create container', (abortSignal) =>
        this.containerClient.createIfNotExists({ abortSignal }),
      ),
      storageCall(this.call, 'create queue', (abortSignal) => this.queueClient.createIfNotExists({ abortSignal })),
    ]).then(
      () => undefined,
      (e: unknown) => {
        this.created = null;
        throw e;
      },
    );
    return this.created;
  }
}
