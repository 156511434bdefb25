// Record blobs whose body cannot be read, set aside once for each version of the blob: the body is
// copied under `quarantine/` to a name that carries the version's ETag, written only if absent
// (If-None-Match: *), so however many reads meet it, here or on other instances, one copy is made
// and it is reported once, by the instance that made it. The original is then removed only if it
// is still that version (If-Match on its ETag), so a key written meanwhile keeps its new value.
// Conditional headers: https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations

import { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { CONDITION_LOST, Expected, answer } from './azureCall';
import { QUARANTINE_PREFIX, RECORDS_PREFIX } from './azureBlobNames';
import { LruCache } from './lruCache';
import { NewProblem, labelOf, whereOf } from './problems';

/** One storage call with a deadline (AzureRecords.call). */
type Call = <R>(what: string, work: (abortSignal: AbortSignal) => Promise<R>, expected?: Expected<R>) => Promise<R>;

/** What this instance did about one version of an unreadable blob. */
interface Met {
  readonly etag: string;
  /** working: a read is setting it aside; failed: no copy could be made; kept: the
   * copy exists but the original could not be removed yet; done: set aside. */
  readonly state: 'working' | 'failed' | 'kept' | 'done';
}

/** The copy exists already: made by another read of the same version. */
const ALREADY_KEPT: ReadonlySet<string> = new Set(['BlobAlreadyExists', 'ConditionNotMet']);
const REASON = 'its value is not JSON';

export class UnreadableBlobs {
  /** By blob name; bounded, as a store may hold any number of unreadable blobs. */
  private readonly met = new LruCache<Met>(1000);

  constructor(
    private readonly container: ContainerClient,
    private readonly call: Call,
    private readonly report: (problem: NewProblem) => void,
  ) {}

  /** Sets `blob` aside as it was at `etag`, unless this instance has already; never throws. The
   * read that met it answers absent either way. */
  async setAside(key: string, blob: BlockBlobClient, body: Buffer, etag: string): Promise<void> {
    const seen = this.met.get(blob.name);
    const again = seen?.etag === etag;
    if (again && (seen.state === 'working' || seen.state === 'done')) return;
    this.met.set(blob.name, { etag, state: 'working' });
    const where = whereOf(key);
    const label = labelOf('record', where);
    const keptAs = `${QUARANTINE_PREFIX}${blob.name.slice(RECORDS_PREFIX.length)}.${etag.replace(/[^A-Za-z0-9]/g, '')}`;
    let made = false;
    if (!(again && seen.state === 'kept')) {
      try {
        made = await this.call(
          'quarantine',
          async (abortSignal) => {
            await this.container
              .getBlockBlobClient(keptAs)
              .upload(body, body.length, { abortSignal, conditions: { ifNoneMatch: '*' } });
            return true;
          },
          answer(ALREADY_KEPT, false),
        );
      } catch {
        this.met.set(blob.name, { etag, state: 'failed' });
        // Later reads try again until the copy can be made; the store's problem memory says it once.
        this.report({
          subject: 'record',
          where,
          key,
          reason: REASON,
          text: `${label}: ${REASON}; it could not be set aside yet`,
        });
        return;
      }
    }
    let removed = '';
    try {
      // Gone or changed meanwhile: not this version's to remove any more.
      await this.call(
        'quarantine',
        (abortSignal) => blob.delete({ abortSignal, conditions: { ifMatch: etag } }),
        answer(CONDITION_LOST, undefined),
      );
      this.met.set(blob.name, { etag, state: 'done' });
    } catch (e) {
      // A blob with snapshots, or under a lease, refuses the delete; the next read tries it again.
      this.met.set(blob.name, { etag, state: 'kept' });
      // The storage's status and code only (storageCall's message), as in "409 SnapshotsPresent".
      const why = /\(([^()]*)\)$/.exec((e as Error).message)?.[1] ?? 'unknown';
      removed = `; the original could not be removed yet (${why}), so the key cannot be created again until it is`;
    }
    if (made) {
      this.report({
        subject: 'record',
        where,
        key,
        reason: REASON,
        keptAs,
        text: `${label}: ${REASON}; kept as ${keptAs}${removed}`,
      });
    }
  }
}
