// A seed user's `signInRefusal` names one of the simulated Entra's refusals (README, "A user in
// seed.json may also carry signInRefusal"). A name it does not know must stop the tenant at start,
// as another wrong seed does, naming the ones it knows: silently ignored, the user would be given
// every token and a test meant to meet Entra's refusal would pass without meeting it; a name of
// an object's own machinery (constructor, toString) would answer the token request with no
// status at all.

import { strict as assert } from 'node:assert';
import { loadDemoSeed } from '../../src/sandbox/seed';
import type { SeededSignInRefusal } from '../../src/sandbox/signInRefusals';
import { SimulatedTenant } from '../../src/sandbox/tenant';

function tenantWith(refusal: string): SimulatedTenant {
  const seed = loadDemoSeed();
  const users = seed.users.map((u, i) => (i === 0 ? { ...u, signInRefusal: refusal as SeededSignInRefusal } : u));
  return new SimulatedTenant({ ...seed, users });
}

describe("a seed user's signInRefusal", () => {
  for (const wrong of ['passwordexpired', 'constructor', 'toString', '']) {
    it(`'${wrong}' is refused at start, naming the refusals the simulated Entra knows`, () => {
      assert.throws(
        () => tenantWith(wrong),
        (e: Error) =>
          /signInRefusal/.test(e.message) &&
          /deviceNotCompliant/.test(e.message) &&
          /onPremPasswordExpired/.test(e.message),
      );
    });
  }

  it('a known one starts the tenant', () => {
    assert.ok(tenantWith('passwordExpired'));
  });
});
