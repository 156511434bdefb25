// The sign-in link carries why SSO failed (`r`) and Entra's claims challenge (`c`) to the start
// page, which asks Entra for them (prompt, claims) even when the state store did not note them. The
// link stays short and only carries what the page accepts: a claims challenge is a JSON object
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-conditional-access-dev-guide), and
// the page refuses a link whose `c` is not one, so such a challenge, or one too long for a link,
// is left out rather than breaking the link.

import { strict as assert } from 'node:assert';
import { MAX_LINK_CLAIMS_CHARS, signInUrl } from '../../src/auth/signInPages';
import { isClaimsChallenge } from '../../src/auth/pages/start';

const BASE = 'https://bot.contoso.test';
const CLAIMS = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';

describe('the sign-in link’s reason and claims challenge', () => {
  it('carries the reason, and for MFA the claims challenge the page accepts', () => {
    const link = new URL(signInUrl(BASE, 'p-1', 'mfa', CLAIMS));
    assert.equal(link.searchParams.get('s'), 'p-1');
    assert.equal(link.searchParams.get('r'), 'mfa');
    assert.equal(link.searchParams.get('c'), CLAIMS);
    assert.ok(isClaimsChallenge(link.searchParams.get('c')!));
    assert.equal(new URL(signInUrl(BASE, 'p-1', 'consent', CLAIMS)).searchParams.get('c'), null);
  });

  it('measures the challenge as the link encodes it, not as encodeURIComponent would', () => {
    // A link's query encodes ' ( ) ! ~ as %XX, which encodeURIComponent leaves as they are: 722
    // characters by that count are 2,122 in the link.
    const quoted = JSON.stringify({ access_token: { acrs: { essential: true, value: "'".repeat(700) } } });
    assert.ok(isClaimsChallenge(quoted) && encodeURIComponent(quoted).length <= MAX_LINK_CLAIMS_CHARS);
    const link = new URL(signInUrl(BASE, 'p-3', 'mfa', quoted));
    const carried = link.search.split('&').find((p) => p.startsWith('c=') || p.startsWith('?c='));
    assert.equal(carried, undefined, `left out: ${String(carried?.length)} characters in the link`);
    const fits = JSON.stringify({ access_token: { acrs: { essential: true, value: "'".repeat(600) } } });
    const kept = new URL(signInUrl(BASE, 'p-3', 'mfa', fits)).search.split('&').find((p) => p.startsWith('c='));
    assert.ok(kept !== undefined && kept.length - 2 <= MAX_LINK_CLAIMS_CHARS, 'one that fits still goes');
  });

  it('leaves out a challenge the page would refuse, or one too long for a link', () => {
    const long = JSON.stringify({ access_token: { acrs: { essential: true, values: ['c'.repeat(3000)] } } });
    assert.ok(long.length < 4000 && isClaimsChallenge(long), 'one the page itself would take');
    for (const claims of ['not json', '["a"]', long]) {
      const url = signInUrl(BASE, 'p-2', 'mfa', claims);
      const link = new URL(url);
      assert.equal(link.searchParams.get('c'), null, claims.slice(0, 20));
      assert.equal(link.searchParams.get('r'), 'mfa', 'the reason still goes');
      assert.ok(url.length < MAX_LINK_CLAIMS_CHARS, 'bounded');
    }
  });
});
