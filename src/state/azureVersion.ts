// A record's version on Azure Blob Storage: the blob's ETag, and the expiry the blob was written
// with. A blob's expiry lives in its metadata, and every upload replaces the whole metadata
// (https://learn.microsoft.com/rest/api/storageservices/put-blob: "updating an existing block
// blob overwrites any existing metadata on the blob"), so a write that keeps the expiry must name
// it again. Carrying it in the version lets a compare-and-swap keep it with no extra read: the
// If-Match on the ETag makes sure the blob written over is the very one whose expiry the version
// names. Versions are opaque to callers (port.ts), so only this adapter reads them.

/** The metadata entry that holds a blob's expiry (epoch ms on the storage's clock). */
const EXPIRES_AT = 'expiresat';

export interface BlobVersion {
  readonly etag: string;
  /** When the blob counts as absent (epoch ms), or null when it lives until deleted. */
  readonly expiresAt: number | null;
}

// An ETag is a quoted string (RFC 9110 section 8.8.3): what follows its closing quote is ours.
const WITH_EXPIRY = /^(.*")~([^"~]+)$/s;

/** The version callers see for a blob at `etag` with `expiresAt`. */
export function versionOf(etag: string, expiresAt: number | null): string {
  return expiresAt === null ? etag : `${etag}~${expiresAt}`;
}

/** The ETag and expiry a version names. A string this adapter did not make is taken as a bare
 * ETag: it matches no blob, so a write at it loses. */
export function parseVersion(version: string): BlobVersion {
  const found = WITH_EXPIRY.exec(version);
  const at = Number(found?.[2]);
  return found && Number.isFinite(at) ? { etag: found[1]!, expiresAt: at } : { etag: version, expiresAt: null };
}

/** The expiry a blob's metadata holds, or null for none (or one that is not a number). */
export function expiryOf(metadata: Record<string, string>): number | null {
  const raw = metadata[EXPIRES_AT];
  const at = Number(raw);
  return raw !== undefined && Number.isFinite(at) ? at : null;
}

/** The metadata that stores `expiresAt`. */
export function metadataOf(expiresAt: number | null): Record<string, string> {
  return expiresAt === null ? {} : { [EXPIRES_AT]: String(expiresAt) };
}
