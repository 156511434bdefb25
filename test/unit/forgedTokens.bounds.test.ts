// The forged-token check (src/bot/forgedTokens.ts) runs before botframework-connector verifies a
// token, so it must never refuse one the library would take: every algorithm the library allows
// (RS256, RS384, RS512), its five minutes of clock tolerance on both ends of the lifetime, and a
// key the library would use. The library's key lookup (OpenIdMetadata.findKey) takes any entry
// with the key id and an `n` and `e`, whatever its `kty` says; a JWK's `kty` may be absent from a
// key set entry the library reads, so the check must not ask for it either.
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot-step-4
// (the bot verifies the signature with the channel's keys, and that the token is not expired)

import { strict as assert } from 'node:assert';
import { sign } from 'node:crypto';
import { AuthenticationError } from 'botframework-connector';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { createSigningKey, SigningKey } from '../../src/auth/jwt';
import { refuseForgedToken } from '../../src/bot/forgedTokens';

const URL = 'https://keys.invalid/forgedTokens.bounds';
const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache: Map<string, unknown> }).openIdMetadataCache;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function token(key: SigningKey, alg: 'RS256' | 'RS384' | 'RS512', claims: Record<string, unknown>): string {
  const signed = `${b64({ alg, typ: 'JWT', kid: key.kid })}.${b64(claims)}`;
  const hash = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' }[alg];
  return `Bearer ${signed}.${sign(hash, Buffer.from(signed), key.privateKey).toString('base64url')}`;
}

const refused = (header: string, now: number) => {
  try {
    refuseForgedToken(header, now);
    return false;
  } catch (e) {
    assert.ok(e instanceof AuthenticationError && e.statusCode === 401, String(e));
    return true;
  }
};

describe('forged-token check: what the library would take is never refused', () => {
  const key = createSigningKey('bounds-key');
  const bare = createSigningKey('bounds-key-no-kty');
  const NOW = 1_900_000_000_000;
  const sec = NOW / 1000;
  const life = { iss: 'https://api.botframework.com', nbf: sec - 60, exp: sec + 3600 };

  before(() => {
    const { kty: _kty, ...noKty } = bare.publicJwk;
    cache.set(URL, { keys: [{ ...key.publicJwk, endorsements: ['msteams'] }, noKty] });
  });
  after(() => cache.delete(URL));

  it('takes RS256, RS384 and RS512 signatures of a cached key', () => {
    for (const alg of ['RS256', 'RS384', 'RS512'] as const)
      assert.equal(refused(token(key, alg, life), NOW), false, alg);
  });

  it('takes a lifetime within five minutes of tolerance, refuses one past it', () => {
    assert.equal(refused(token(key, 'RS256', { ...life, exp: sec - 299 }), NOW), false, 'expired 299 s ago');
    assert.equal(refused(token(key, 'RS256', { ...life, exp: sec - 300 }), NOW), true, 'expired 300 s ago');
    assert.equal(refused(token(key, 'RS256', { ...life, nbf: sec + 300 }), NOW), false, 'valid in 300 s');
    assert.equal(refused(token(key, 'RS256', { ...life, nbf: sec + 301 }), NOW), true, 'valid in 301 s');
  });

  it('takes a token of a cached key whose entry names no kty, as the library does', () => {
    assert.equal(refused(token(bare, 'RS256', life), NOW), false);
  });
});
