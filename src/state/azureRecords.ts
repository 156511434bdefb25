// Records on Azure Blob Storage: one blob per key, its ETag the version (with the blob's expiry,
// see azureVersion.ts). Conditional writes are the service's own (If-None-Match: * to create,
// If-Match to replace or delete), so any number of instances on any number of machines agree on
// who won. Expiry is kept in the blob's metadata,
// written and judged by the storage's clock (`context.now`, see storageClock.ts), so machines
// whose own clocks disagree still agree on it: an expired blob counts as absent, and `create`
// replaces it only at the ETag it saw expired, so two creators of an expired key still give
// exactly one winner.
// A refusal is an answer only when its storage code says so (the blob exists, the condition was
// not met, the blob is missing); anything else, a missing container above all, is an outage.

import { BlobItem, BlockBlobClient, ContainerClient, ListBlobsFlatSegmentResponse } from '@azure/storage-blob';
import { BLOB_MISSING, CONDITION_LOST, CallContext, Expected, answer, isContainerCode, storageCall } from './azureCall';
import { RECORDS_PREFIX, blobNameOf } from './azureBlobNames';
import { UnreadableBlobs } from './azureQuarantine';
import { Call, UploadConditions, checkedUpload, conditionalUpload, uploadOnce } from './azureUpload';
import { expiryOf, parseVersion, versionOf } from './azureVersion';
import { CreateExpiry, Entry, Expiry, Records, StateUnavailableError } from './port';
import { NewProblem } from './problems';

export interface AzureRecordsContext extends CallContext {
  readonly now: () => number;
  /** Resolves once the container exists. */
  readonly ready: () => Promise<void>;
  /** The container is gone (or going): the next `ready()` must create it again. */
  readonly containerLost: () => void;
  /** Notes a problem for /readyz's count and the store's watchers. */
  readonly report: (problem: NewProblem) => void;
}

/** How long one sweep may run (well inside the periodic pass's lease) and how many blobs one
 * listing page holds. */
export interface SweepBudget {
  readonly ms?: number;
  readonly pageSize?: number;
}

const SWEEP_BUDGET_MS = 20_000;
const SWEEP_PAGE = 1_000;
const SWEEP_PARALLEL = 8;
/** A put that keeps the expiry tries this many read-then-write rounds against other writers. */
const PUT_KEEPING_ROUNDS = 5;

export class AzureRecords implements Records {
  /** Where the last sweep stopped in the listing (this instance's; another starts at the top). */
  private sweepMarker: string | undefined;
  private readonly unreadable: UnreadableBlobs;

  constructor(
    private readonly container: ContainerClient,
    private readonly context: AzureRecordsContext,
  ) {
    this.unreadable = new UnreadableBlobs(
      container,
      (what, work, expected) => this.call(what, work, expected),
      context.report,
    );
  }

  async get<T>(key: string): Promise<Entry<T> | null> {
    await this.context.ready();
    const blob = this.blobOf(key);
    const found = await this.call(
      'read',
      async (abortSignal) => {
        const response = await blob.download(0, undefined, { abortSignal });
        const body = await readAll(response.readableStreamBody);
        return { body, etag: response.etag ?? '', metadata: response.metadata ?? {} };
      },
      answer(BLOB_MISSING, null),
    );
    if (!found || this.expired(found.metadata)) return null;
    try {
      const version = versionOf(found.etag, expiryOf(found.metadata));
      return { value: JSON.parse(found.body.toString('utf8')) as T, version };
    } catch {
      await this.unreadable.setAside(key, blob, found.body, found.etag);
      return null;
    }
  }

  async create<T>(key: string, value: T, expiry: CreateExpiry): Promise<string | null> {
    await this.context.ready();
    const blob = this.blobOf(key);
    const expiresAt = this.expiresAt(expiry);
    // Three rounds cover "it existed, expired, and was deleted before we could replace it".
    for (let round = 0; round < 3; round++) {
      const created = await checkedUpload(this.callFn, blob, value, expiresAt, { ifNoneMatch: '*' }, 'create');
      if (created.version !== null) return created.version;
      // The blob the refusal was checked against, read again only when that check could not read it.
      const seen =
        created.seen !== undefined
          ? created.seen
          : await this.call('create', (abortSignal) => blob.getProperties({ abortSignal }), answer(BLOB_MISSING, null));
      if (seen === null) continue;
      if (!this.expired(seen.metadata ?? {})) return null;
      // Expired: take its place, but only as it was when we judged it expired. Lost: another
      // creator won (the next round sees its live record), or the sweep deleted it meanwhile (the
      // next round creates it).
      const replaced = await this.upload(blob, value, expiresAt, { ifMatch: seen.etag ?? '' }, 'create');
      if (replaced !== null) return replaced;
    }
    return null;
  }

  async replace<T>(key: string, value: T, version: string, expiry: Expiry): Promise<string | null> {
    await this.context.ready();
    const seen = parseVersion(version);
    // The expiry the version names, which If-Match proves is still the blob's own: one that has
    // passed since the read makes the record gone, as `get` would say, and a replace never revives it.
    if (seen.expiresAt !== null && seen.expiresAt <= this.context.now()) return null;
    // Keeping: that same expiry, written again (an upload replaces all metadata).
    const expiresAt = expiry === 'keep' ? seen.expiresAt : this.expiresAt(expiry);
    return this.upload(this.blobOf(key), value, expiresAt, { ifMatch: seen.etag }, 'replace');
  }

  async put<T>(key: string, value: T, expiry: Expiry): Promise<string> {
    await this.context.ready();
    const blob = this.blobOf(key);
    if (expiry === 'keep') return this.putKeeping(blob, value);
    // An unconditional upload has no condition to lose: every refusal is an outage.
    return this.call('put', (abortSignal) => uploadOnce(blob, value, this.expiresAt(expiry), {}, abortSignal));
  }

  /** A put that keeps the blob's expiry: the one write that costs a read first (the expiry is in
   * the metadata that an upload replaces), then a write only over the blob as read, so an expiry
   * changed in between is never overwritten with the old one. */
  private async putKeeping<T>(blob: BlockBlobClient, value: T): Promise<string> {
    for (let round = 0; round < PUT_KEEPING_ROUNDS; round++) {
      const seen = await this.call(
        'put',
        (abortSignal) => blob.getProperties({ abortSignal }),
        answer(BLOB_MISSING, null),
      );
      // Absent or expired: nothing to keep, so none.
      const kept = seen && !this.expired(seen.metadata ?? {}) ? expiryOf(seen.metadata ?? {}) : null;
      const conditions = seen ? { ifMatch: seen.etag ?? '' } : { ifNoneMatch: '*' };
      const written = await this.upload(blob, value, kept, conditions, 'put');
      if (written !== null) return written;
    }
    throw new StateUnavailableError(`state store: put kept losing to other writers`);
  }

  /** A delete at a version first writes the blob over, at that ETag, as already expired (absent to
   * every reader, taken over by create, swept): a write names itself (azureUpload.ts), so its
   * answer lost and its retry refused still reads as this caller's. A Delete Blob with If-Match
   * cannot: its retry's 404 says only that the blob is gone, by this call or another caller's.
   * The expired blob is then deleted at its own ETag, best effort (the sweep takes what is left). */
  async delete(key: string, version?: string): Promise<boolean> {
    await this.context.ready();
    const blob = this.blobOf(key);
    if (version !== undefined) {
      const gone = await this.upload(blob, null, 0, { ifMatch: parseVersion(version).etag }, 'delete');
      if (gone === null) return false;
      await this.call(
        'delete',
        (abortSignal) => blob.delete({ abortSignal, conditions: { ifMatch: parseVersion(gone).etag } }),
        answer(CONDITION_LOST, undefined),
      ).catch(() => undefined);
      return true;
    }
    return this.call(
      'delete',
      async (abortSignal) => {
        await blob.delete({ abortSignal });
        return true;
      },
      answer(BLOB_MISSING, false),
    );
  }

  /** Deletes expired records (each only as it was when seen expired), at most `limit`, for at most
   * `budget.ms` of wall time (at least one page): expiry is judged on read, so without a sweep a
   * record never read again (turn de-duplication) would stay. Each call goes on in the listing
   * where the last one stopped, so a large store is walked across passes, never restarted. Once
   * `stop` aborts no further delete starts (those under way end) and the page is listed again next
   * time, as when the budget runs out. */
  async sweep(limit = 10_000, budget: SweepBudget = {}, stop?: AbortSignal): Promise<number> {
    await this.context.ready();
    const until = Date.now() + (budget.ms ?? SWEEP_BUDGET_MS);
    let removed = 0;
    let first = true;
    do {
      if (stop?.aborted) break;
      // A fresh deadline for each page, not one for the whole walk.
      const page = await this.call('sweep', async (abortSignal) => {
        const pages = this.container
          .listBlobsFlat({ prefix: RECORDS_PREFIX, includeMetadata: true, abortSignal })
          .byPage({ continuationToken: this.sweepMarker, maxPageSize: budget.pageSize ?? SWEEP_PAGE });
        return (await pages.next()).value as ListBlobsFlatSegmentResponse | undefined;
      });
      const expired = (page?.segment.blobItems ?? []).filter((item) => this.expired(item.metadata ?? {}));
      const wanted = expired.slice(0, limit - removed);
      // The first page is always worked whole (a sweep makes progress however small its budget).
      const { deleted, finished } = await this.deleteAsSeen(wanted, first ? Infinity : until, stop);
      first = false;
      removed += deleted;
      // Cut short (the limit, the time budget, the stop): list this page again next time, so its remaining
      // expired blobs are not left for a whole walk.
      if (!finished || wanted.length < expired.length) break;
      this.sweepMarker = page?.continuationToken || undefined;
    } while (this.sweepMarker !== undefined && removed < limit && Date.now() < until);
    return removed;
  }

  /** Deletes each blob only as it was listed (its ETag), a few at a time, until `until` or `stop`;
   * how many went, and whether every one was tried. The first failure stops every worker before
   * it is thrown. */
  private async deleteAsSeen(
    items: readonly BlobItem[],
    until: number,
    stop: AbortSignal | undefined,
  ): Promise<{ deleted: number; finished: boolean }> {
    let deleted = 0;
    let next = 0;
    let stopped = false;
    const worker = async (): Promise<void> => {
      while (!stopped && !stop?.aborted && next < items.length && Date.now() < until) {
        const item = items[next++]!;
        const gone = await this.call(
          'sweep',
          async (signal) => {
            await this.container.getBlobClient(item.name).delete({
              abortSignal: signal,
              conditions: { ifMatch: item.properties.etag ?? '' },
            });
            return true;
          },
          answer(CONDITION_LOST, false),
        ).catch((e: unknown) => {
          stopped = true;
          throw e;
        });
        if (gone) deleted++;
      }
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(SWEEP_PARALLEL, items.length) }, worker));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return { deleted, finished: next >= items.length };
  }

  private blobOf(key: string): BlockBlobClient {
    return this.container.getBlockBlobClient(blobNameOf(key));
  }

  private expired(metadata: Record<string, string>): boolean {
    const at = expiryOf(metadata);
    return at !== null && at <= this.context.now();
  }

  /** The expiry a write sets, on the storage's clock. */
  private expiresAt(expiry: CreateExpiry): number | null {
    return expiry === 'none' ? null : this.context.now() + expiry.ttlMs;
  }

  /** A conditional upload: its new version, or null when another writer's change won (azureUpload.ts). */
  private upload<T>(
    blob: BlockBlobClient,
    value: T,
    expiresAt: number | null,
    conditions: UploadConditions,
    what: string,
  ): Promise<string | null> {
    return conditionalUpload(this.callFn, blob, value, expiresAt, conditions, what);
  }

  /** `call` as azureUpload.ts takes it. */
  private readonly callFn: Call = (what, work, expected) => this.call(what, work, expected);

  /** One storage call (see storageCall) that also forgets the container when the service says it
   * is gone: the next call creates it again instead of failing forever. */
  private call<R>(what: string, work: (abortSignal: AbortSignal) => Promise<R>, expected?: Expected<R>): Promise<R> {
    return storageCall(this.context, what, work, (e) => {
      const value = expected?.(e);
      if (!value && isContainerCode(e)) this.context.containerLost();
      return value;
    });
  }
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
