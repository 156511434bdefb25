// How a record blob is written. A conditional write (If-None-Match: * to create, If-Match to
// replace) whose answer was lost on the way back (the connection failed after the service had
// written the blob) is sent again by the SDK's retry policy, and that second try is refused: the
// blob exists now (409), or its ETag changed (412), both by the first try. Taken as "another writer
// won", the writer's own change went unseen: a click's claim read back as someone else's, a
// completion as lost, a delivery claim as held by another (given back, and counted twice). So each
// conditional write names itself in the blob's metadata, and a refusal is checked once against
// the blob as it is now: still this very write, it is this write's success.
// https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations

import { randomUUID } from 'node:crypto';
import { BlockBlobClient } from '@azure/storage-blob';
import { BLOB_MISSING, CONDITION_LOST, Expected, answer } from './azureCall';
import { metadataOf, versionOf } from './azureVersion';

/** The metadata entry naming the write that put the blob's current content. */
const WRITE_ID = 'writeid';

export interface UploadConditions {
  readonly ifNoneMatch?: string;
  readonly ifMatch?: string;
}

/** One storage call with its deadline (AzureRecords.call: storageCall, minding the container). */
export type Call = <R>(
  what: string,
  work: (abortSignal: AbortSignal) => Promise<R>,
  expected?: Expected<R>,
) => Promise<R>;

/** Uploads `value` with `expiresAt` (and `writeId`, when given): the new version. */
export async function uploadOnce<T>(
  blob: BlockBlobClient,
  value: T,
  expiresAt: number | null,
  conditions: UploadConditions,
  abortSignal: AbortSignal,
  writeId?: string,
): Promise<string> {
  const body = JSON.stringify(value) ?? 'null';
  const response = await blob.upload(body, Buffer.byteLength(body), {
    abortSignal,
    conditions,
    metadata: { ...metadataOf(expiresAt), ...(writeId ? { [WRITE_ID]: writeId } : {}) },
    blobHTTPHeaders: { blobContentType: 'application/json' },
  });
  return versionOf(response.etag ?? '', expiresAt);
}

/** What a conditional upload came to: its new version, or a refusal with the blob as the check
 * found it (null: missing; absent when the check could not be made). */
export type UploadOutcome =
  | { readonly version: string }
  | {
      readonly version: null;
      readonly seen?: { readonly etag?: string; readonly metadata?: Record<string, string> } | null;
    };

/** A conditional upload: its new version, or null when another writer's change stands in its way
 * (never when the change there is this write's own, put by a try whose answer was lost). */
export async function conditionalUpload<T>(
  call: Call,
  blob: BlockBlobClient,
  value: T,
  expiresAt: number | null,
  conditions: UploadConditions,
  what: string,
): Promise<string | null> {
  return (await checkedUpload(call, blob, value, expiresAt, conditions, what)).version;
}

/** conditionalUpload, also handing back the blob its refusal was checked against, so a caller that
 * must judge that blob next (create: is it expired?) needs no second read. */
export async function checkedUpload<T>(
  call: Call,
  blob: BlockBlobClient,
  value: T,
  expiresAt: number | null,
  conditions: UploadConditions,
  what: string,
): Promise<UploadOutcome> {
  const writeId = randomUUID();
  const written = await call<string | null>(
    what,
    (abortSignal) => uploadOnce(blob, value, expiresAt, conditions, abortSignal, writeId),
    answer(CONDITION_LOST, null),
  );
  if (written !== null) return { version: written };
  // Only a check: when it cannot be made, the refusal stands as the service gave it.
  const now = await call(what, (abortSignal) => blob.getProperties({ abortSignal }), answer(BLOB_MISSING, null)).catch(
    () => undefined,
  );
  if (now === undefined) return { version: null };
  return now?.metadata?.[WRITE_ID] === writeId
    ? { version: versionOf(now.etag ?? '', expiresAt) }
    : { version: null, seen: now };
}
