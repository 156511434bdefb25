// Proof Key for Code Exchange (RFC 7636) with the S256 method, and the unguessable one-time
// values the sign-in pages hand out. Entra requires S256 for new apps; "plain" is never offered.

import { createHash, randomBytes } from 'node:crypto';

export interface PkcePair {
  /** Kept on the server until the code is redeemed; never sent to the browser. */
  readonly verifier: string;
  /** BASE64URL(SHA256(verifier)), sent on the authorize request. */
  readonly challenge: string;
}

/** 32 random bytes, base64url: 256 bits, 43 characters (RFC 7636 §4.1 allows 43 to 128). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function createPkcePair(): PkcePair {
  const verifier = randomToken();
  return { verifier, challenge: s256(verifier) };
}
