// The names of the blobs that hold records: any key of up to 512 characters of any text maps to
// its own blob name, safe in a URL and within the service's 1,024-character limit.

import { createHash } from 'node:crypto';

/** Blob name prefix of records; quarantined bodies go under `quarantine/`. */
export const RECORDS_PREFIX = 'records/';
export const QUARANTINE_PREFIX = 'quarantine/';
/** Blob names may be 1,024 characters; longer encodings are named by their hash instead. */
const MAX_READABLE_NAME = 900;

/** The blob name of a key: every character outside [A-Za-z0-9_-] percent-encoded (so no `/`
 * makes folders, no `.` or `..` segment is rewritten by URL handling), or `~` and the SHA-256 of
 * the key when that would be too long (`~` never appears in an encoded name, so the two kinds
 * cannot meet). */
export function blobNameOf(key: string): string {
  const encoded = Array.from(Buffer.from(key, 'utf8'))
    .map((b) => (isPlain(b) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  if (encoded.length > 0 && encoded.length <= MAX_READABLE_NAME) return RECORDS_PREFIX + encoded;
  return `${RECORDS_PREFIX}~${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

function isPlain(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x5f ||
    byte === 0x2d
  );
}
