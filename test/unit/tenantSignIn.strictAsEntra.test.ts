// What the sign-in pages rely on from Entra, which the simulated tenant must hold at least as
// strictly, so that a fault of the pages shows in the sandbox before it meets the real service:
// - an ID token comes back from the code redemption "Only provided if openid scope was requested"
//   (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2);
//   the end page learns who signed in from it;
// - a redirect URI "must exactly match one of the redirect URIs you registered" (same page), and
//   for a loopback one only the port is ignored, never the path: "http://localhost/MyWebApp doesn't
//   match http://localhost/MyNativeApp"; redirect URIs "are case-sensitive"; "The IPv6 loopback
//   address ([::1]) is not currently supported"
//   (https://learn.microsoft.com/en-us/entra/identity-platform/reply-url#localhost-exceptions).
//   The demo app registers its sign-in pages' loopback end page, http://localhost/auth/end;
// - `login_hint` "can be used to prefill the username/email address field of the sign-in page for
//   the user" (v2-oauth2-auth-code-flow#request-an-authorization-code): the start page sends the
//   user's UPN, which must pre-select that account; what is no user name (an object id) must not.

import { strict as assert } from 'node:assert';
import { authCodeSession, formOf } from '../fixtures/authCodeSession';
import { call, jsonOf } from '../fixtures/tenantClient';

const GRAPH_SCOPE = 'https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory';

describe('simulated Entra: as strict as Entra for what the sign-in pages rely on', () => {
  const session = authCodeSession();

  it('returns an ID token only when the authorize request asked for openid', () => {
    const withOpenid = session.signIn('Megan Bowen', { scope: `openid profile ${GRAPH_SCOPE}` });
    const full = jsonOf<{ access_token?: string; id_token?: string }>(
      session.redeem(withOpenid.code, withOpenid.v, { scope: GRAPH_SCOPE }),
    );
    assert.ok(full.access_token);
    assert.ok(full.id_token, 'openid asked: an ID token');

    const without = session.signIn('Megan Bowen', { scope: GRAPH_SCOPE });
    const bare = jsonOf<{ access_token?: string; id_token?: string }>(
      session.redeem(without.code, without.v, { scope: GRAPH_SCOPE }),
    );
    assert.ok(bare.access_token);
    assert.equal(bare.id_token, undefined, 'no openid: no ID token');
  });

  it('takes only the registered loopback end page, on any port, as the redirect URI', () => {
    const v = session.verifier();
    const authorize = (redirectUri: string) =>
      call(session.tenant, 'GET', session.authorizeUrl(v, { redirect_uri: redirectUri }));
    for (const accepted of [
      'http://127.0.0.1:3978/auth/end',
      'http://localhost:4000/auth/end',
      'https://localhost:8443/auth/end',
    ]) {
      assert.equal(authorize(accepted).status, 200, `${accepted}: the account picker`);
    }
    for (const refused of [
      'http://127.0.0.1:3978/auth/other',
      'http://127.0.0.1:3978/AUTH/END',
      'http://127.0.0.1:3978/auth/end/',
      'http://127.0.0.1:3978/auth/end?next=x',
      'http://[::1]:3978/auth/end',
    ]) {
      const page = authorize(refused);
      assert.equal(page.status, 400, refused);
      assert.equal(page.headers.location, undefined, `${refused}: never redirected to`);
      assert.match(page.body ?? '', /AADSTS50011/, refused);
    }
  });

  it('pre-selects the account a login_hint names by its user name (any case), and none for an object id', () => {
    const v = session.verifier();
    const picked = (hint: string) =>
      formOf(call(session.tenant, 'GET', session.authorizeUrl(v, { login_hint: hint })).body ?? '').fields.user;
    const alex = session.user('Alex Wilber');
    const first = session.seed.users[0]!;
    assert.notEqual(first.id, alex.id, 'the picker would offer another account first');
    assert.equal(picked(alex.userPrincipalName), alex.id);
    assert.equal(picked(alex.userPrincipalName.toUpperCase()), alex.id);
    assert.equal(picked(alex.id), first.id, 'an object id pre-selects nothing');
  });
});
