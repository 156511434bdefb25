// RS256 JSON Web Tokens with node:crypto: enough for the simulated tenant and the local test
// channel to issue tokens that real validators (MSAL, botbuilder) accept.

import { KeyObject, createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: PublicJwk;
}

export interface PublicJwk {
  readonly kty: string;
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly use: 'sig';
  readonly alg: 'RS256';
  readonly [extra: string]: unknown;
}

export type Claims = Record<string, unknown>;

export class JwtError extends Error {
  constructor(
    readonly reason: 'malformed' | 'unknownKey' | 'badSignature' | 'expired' | 'notYetValid' | 'audience' | 'issuer',
  ) {
    super(`JWT rejected: ${reason}`);
    this.name = 'JwtError';
  }
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export function createSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kid, privateKey, publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, use: 'sig', alg: 'RS256' } };
}

export function signJwt(payload: Claims, key: SigningKey, header: Claims = {}): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const body = b64url(JSON.stringify(payload));
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

export function decodeJwt(token: string): { header: Claims; claims: Claims } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('malformed');
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) as Claims,
      claims: JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Claims,
    };
  } catch {
    throw new JwtError('malformed');
  }
}

export interface VerifyOptions {
  readonly audience?: string | readonly string[];
  readonly issuer?: string;
  readonly clockToleranceSec?: number;
  readonly now?: () => number;
}

export function verifyJwt(token: string, jwks: readonly PublicJwk[], opts: VerifyOptions = {}): Claims {
  const { header, claims } = decodeJwt(token);
  if (header.alg !== 'RS256') throw new JwtError('malformed');
  const jwk = jwks.find((k) => k.kid === header.kid);
  if (!jwk) throw new JwtError('unknownKey');
  const [h, p, s] = token.split('.') as [string, string, string];
  const publicKey = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) {
    throw new JwtError('badSignature');
  }
  const now = Math.floor((opts.now ?? Date.now)() / 1000);
  const tolerance = opts.clockToleranceSec ?? 300;
  // Good only while the time is before exp (RFC 7519 §4.1.4): in the second of exp it is not.
  if (typeof claims.exp !== 'number' || claims.exp + tolerance <= now) throw new JwtError('expired');
  if (typeof claims.nbf === 'number' && claims.nbf - tolerance > now) throw new JwtError('notYetValid');
  if (opts.audience !== undefined) {
    const allowed = typeof opts.audience === 'string' ? [opts.audience] : opts.audience;
    if (typeof claims.aud !== 'string' || !allowed.includes(claims.aud)) throw new JwtError('audience');
  }
  if (opts.issuer !== undefined && claims.iss !== opts.issuer) throw new JwtError('issuer');
  return claims;
}
