// Inbound tokens that cannot be this bot's, refused before botframework-connector verifies them.
// The library's JwtTokenExtractor.validateToken writes to stderr with console.error, for every
// token whose verification fails after its signing key was found, the whole PEM public key ("Error
// finding key for token. Available keys: …") or the error with its stack (an expired token). The
// key id and the issuer it goes by are read from the token unverified, so anyone could send tokens
// naming a published key id and the Bot Framework's issuer with a made-up signature, and write a
// key and a line of stderr per request, without end. The bot already logs each refusal once, at
// warn and without key material (http.unauthorized).
// Here a token whose key id is among the keys the library has already read is checked against
// them first: a signature none of them verifies, an algorithm the library does not take, or a
// lifetime past the library's five minutes of tolerance is refused
// (401, as the library's refusal is) without reaching the library. Everything else, an unknown key
// id among it (the library then reads the keys again, and refuses quietly when still unknown), is
// left to the library, which verifies every token it takes in full: nothing is taken here.
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication

import { createPublicKey, verify } from 'node:crypto';
import { AuthenticationError } from 'botframework-connector';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';

/** The library's key cache (botframework-connector 4.23): one OpenID metadata per URL, its JWKs. */
interface KeyCache {
  readonly openIdMetadataCache?: Map<string, { keys?: unknown }>;
}

interface Jwk {
  readonly kid?: unknown;
  readonly n?: unknown;
  readonly e?: unknown;
}

/** The algorithms the library's validation parameters allow, and their hashes. */
const HASHES: Readonly<Record<string, string>> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** The library's clockTolerance on every inbound path (five minutes). */
const TOLERANCE_SEC = 300;

const NOT_VALID = 'Unauthorized. The token is not valid.';

/** The library's key sets by metadata URL (its private state; tokenOrigin.ts checks it at start). */
export const keyCache = (): KeyCache['openIdMetadataCache'] =>
  (JwtTokenExtractor as unknown as KeyCache).openIdMetadataCache;

/** The keys with this id that the library has read, from any of its key sets. */
function cachedKeys(kid: string): Jwk[] {
  const cache = keyCache();
  if (!(cache instanceof Map)) return [];
  const found: Jwk[] = [];
  for (const metadata of cache.values()) {
    const keys = metadata?.keys;
    if (!Array.isArray(keys)) continue;
    for (const k of keys as Array<Jwk | null>) if (k && k.kid === kid) found.push(k);
  }
  return found;
}

/** As the library's lookup (OpenIdMetadata.findKey) takes a key: by its `n` and `e`, whatever its
 * `kty` says, so that no key the library would verify with is refused here. */
function verifiedBy(key: Jwk, hash: string, signed: string, signature: Buffer): boolean {
  if (typeof key.n !== 'string' || typeof key.e !== 'string') return false;
  try {
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: key.n, e: key.e }, format: 'jwk' });
    return verify(hash, Buffer.from(signed), publicKey, signature);
  } catch {
    return false;
  }
}

/** A token's part (header or claims) decoded, unverified; null when it is not a JSON object. */
export function decodedPart(part: string | undefined): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Throws a 401 AuthenticationError for a bearer token (`authHeader`, "Bearer <token>") whose key
 * the library has read and which that key does not make valid now (see above); returns
 * otherwise, leaving the token to the library: true when a key the library has read verified its
 * signature, false when none was judged here. `now` in epoch ms.
 */
export function refuseForgedToken(authHeader: string, now: number = Date.now()): boolean {
  const [scheme, token, extra] = authHeader.split(' ');
  if (scheme !== 'Bearer' || !token || extra !== undefined) return false;
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const header = decodedPart(parts[0]);
  const claims = decodedPart(parts[1]);
  if (!header || !claims || typeof header.kid !== 'string') return false;
  const keys = cachedKeys(header.kid);
  if (keys.length === 0) return false;
  const hash = typeof header.alg === 'string' ? HASHES[header.alg] : undefined;
  if (!hash) throw new AuthenticationError(NOT_VALID, 401);
  const signature = Buffer.from(parts[2] ?? '', 'base64url');
  const signed = `${parts[0]}.${parts[1]}`;
  if (!keys.some((k) => verifiedBy(k, hash, signed, signature))) {
    throw new AuthenticationError(NOT_VALID, 401);
  }
  const nowSec = Math.floor(now / 1000);
  // As jsonwebtoken judges them, with the library's tolerance.
  if (typeof claims.exp === 'number' && nowSec >= claims.exp + TOLERANCE_SEC) {
    throw new AuthenticationError('Unauthorized. The token has expired.', 401);
  }
  if (typeof claims.nbf === 'number' && claims.nbf - TOLERANCE_SEC > nowSec) {
    throw new AuthenticationError(NOT_VALID, 401);
  }
  return true;
}
