// What the simulated Entra refuses in the authorization code flow with PKCE: a code spent, expired,
// made up, or redeemed with another verifier, redirect URI or client secret; an authorize request
// for an unknown client or an unregistered redirect URI (answered on a page, never redirected), and
// the other bad requests (answered back at the redirect URI with the state).
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow

import { strict as assert } from 'node:assert';
import type { SimResponse } from '../../src/sandbox/envelope';
import type { SimulatedTenant, TenantOptions } from '../../src/sandbox/tenant';
import { authCodeSession } from '../fixtures/authCodeSession';
import { call, jsonOf } from '../fixtures/tenantClient';

describe('simulated Entra: authorization code flow with PKCE', () => {
  const session = authCodeSession();
  const { user, verifier, authorizeUrl, locationOf, redeem, signIn } = session;
  let tenant: SimulatedTenant;
  // The session's beforeEach, registered first, has made this test's tenant by now.
  beforeEach(() => {
    ({ tenant } = session);
  });
  /** A new tenant with these options for the rest of the test. */
  const make = (options: TenantOptions) => {
    session.make(options);
    ({ tenant } = session);
  };

  it('a code is single use, short-lived, and bound to the client, the redirect URI and the PKCE verifier', () => {
    const err = (r: SimResponse) => jsonOf<{ error: string; error_description: string }>(r);
    let s = signIn('Megan Bowen');
    const bad = redeem(s.code, verifier());
    assert.equal(bad.status, 400);
    assert.equal(err(bad).error, 'invalid_grant');
    assert.match(err(bad).error_description, /^AADSTS50148/);
    assert.match(err(redeem(s.code, s.v)).error_description, /^AADSTS54005/, 'a refused attempt spends the code');

    s = signIn('Megan Bowen');
    assert.equal(redeem(s.code, s.v).status, 200);
    assert.match(err(redeem(s.code, s.v)).error_description, /^AADSTS54005/, 'reused');

    s = signIn('Megan Bowen');
    assert.match(
      err(redeem(s.code, s.v, { redirect_uri: 'http://127.0.0.1:3978/other' })).error_description,
      /^AADSTS500112/,
    );

    s = signIn('Megan Bowen');
    const noVerifier = redeem(s.code, s.v, { code_verifier: '' });
    assert.match(err(noVerifier).error_description, /^AADSTS50148/);

    s = signIn('Megan Bowen');
    assert.equal(redeem(s.code, s.v, { client_secret: 'wrong' }).status, 401);

    s = signIn('Megan Bowen');
    session.advance(10 * 60_000);
    assert.match(err(redeem(s.code, s.v)).error_description, /^AADSTS70008/, 'expired');
    assert.match(err(redeem('made-up', s.v)).error_description, /^AADSTS70000/);
  });

  it('refuses bad requests: unknown client or redirect URI on a page, others back at the redirect URI', () => {
    const v = verifier();
    const unknownClient = call(tenant, 'GET', authorizeUrl(v, { client_id: '11111111-1111-1111-1111-111111111111' }));
    assert.equal(unknownClient.status, 400);
    assert.match(unknownClient.body ?? '', /AADSTS700016/);
    const foreign = call(tenant, 'GET', authorizeUrl(v, { redirect_uri: 'https://evil.example/cb' }));
    assert.equal(foreign.status, 400, 'never redirects to an unregistered URI');
    assert.equal(foreign.headers.location, undefined);
    const refusals: Array<Record<string, string>> = [
      { code_challenge_method: 'plain' },
      { code_challenge: '' },
      { response_type: 'token' },
    ];
    for (const extra of refusals) {
      const back = locationOf(call(tenant, 'GET', authorizeUrl(v, extra)));
      assert.ok(back.searchParams.get('error'), JSON.stringify(extra));
      assert.equal(back.searchParams.get('state'), 'state-123');
    }
    const silent = locationOf(
      call(tenant, 'GET', authorizeUrl(v, { prompt: 'none', login_hint: user('Alex Wilber').userPrincipalName })),
    );
    assert.equal(silent.searchParams.get('error'), 'consent_required');
    make({ redirectUris: ['https://bot.contoso.example/auth/end'] });
    assert.equal(call(tenant, 'GET', authorizeUrl(v)).status, 400, 'only registered URIs once some are registered');
  });
});
