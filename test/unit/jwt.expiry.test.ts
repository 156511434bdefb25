// The lifetime check of src/auth/jwt.ts (the simulated tenant's validator): a token is good only
// while the time is before `exp` (plus the tolerance), and from `nbf` on. With seconds on the clock,
// the second of `exp` itself is already too late.
// RFC 7519 §4.1.4: "the current date/time MUST be before the expiration date/time listed in the
// "exp" claim"; §4.1.5: "the current date/time MUST be after or equal to the not-before date/time":
// https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
// Microsoft identity platform access tokens, "Validate tokens" (exp, nbf):
// https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-tokens

import { strict as assert } from 'node:assert';
import { JwtError, createSigningKey, signJwt, verifyJwt } from '../../src/auth/jwt';

describe('JWT lifetime (exp, nbf) with and without tolerance', () => {
  const key = createSigningKey('k1');
  const at = (sec: number) => () => sec * 1000;
  const reason = (f: () => unknown) => {
    try {
      f();
      return 'accepted';
    } catch (e) {
      return e instanceof JwtError ? e.reason : String(e);
    }
  };

  it('no tolerance: good the second before exp, refused from the second of exp on', () => {
    const token = signJwt({ exp: 1_000, nbf: 900 }, key);
    const check = (sec: number) =>
      reason(() => verifyJwt(token, [key.publicJwk], { clockToleranceSec: 0, now: at(sec) }));
    assert.equal(check(999), 'accepted');
    assert.equal(check(1_000), 'expired', 'the time is no longer before exp');
    assert.equal(check(1_000.5), 'expired');
    assert.equal(check(900), 'accepted', 'from nbf on');
    assert.equal(check(899.5), 'notYetValid');
  });

  it('a tolerance moves both edges by as much, no more', () => {
    const token = signJwt({ exp: 1_000, nbf: 900 }, key);
    const check = (sec: number) =>
      reason(() => verifyJwt(token, [key.publicJwk], { clockToleranceSec: 300, now: at(sec) }));
    assert.equal(check(1_299), 'accepted');
    assert.equal(check(1_300), 'expired');
    assert.equal(check(600), 'accepted');
    assert.equal(check(599), 'notYetValid');
  });
});
