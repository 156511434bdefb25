// Is the simulated Entra's on-behalf-of grant as strict as Entra's? What the pages state:
// - https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow: "assertion:
//   The access token that was sent to the middle-tier API." An ID token is no access token (it
//   carries no scp): Entra refuses it as an invalid assertion, AADSTS50013 (invalid_grant,
//   https://learn.microsoft.com/entra/identity-platform/reference-error-codes: "InvalidAssertion").
// - https://learn.microsoft.com/entra/identity-platform/scopes-oidc: one resource per token request,
//   and "Clients can't combine static (.default) consent and dynamic consent in a single request.
//   So scope=https://graph.microsoft.com/.default Mail.Read results in an error because it
//   combines scope types." Entra answers invalid_scope, AADSTS70011 (reference-error-codes).
// - The OBO flow has no user interaction, so a scope the user has not consented to is refused with
//   AADSTS65001 and suberror consent_required (v2-oauth2-on-behalf-of-flow, "Gaining consent for the
//   middle-tier application"), as the grant already answers a user who never consented.

import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import type { SimResponse } from '../../src/sandbox/envelope';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { HOST, call, jsonOf, oboForm } from '../fixtures/tenantClient';

interface OAuthError {
  error: string;
  error_codes: number[];
  suberror?: string;
}

describe("simulated Entra's on-behalf-of grant is as strict as Entra's", () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed);
  });
  const user = (name: string) => seed.users.find((u) => u.displayName === name)!;
  const obo = (assertion: string, scope: string): SimResponse =>
    call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, { body: oboForm(seed, assertion, { scope }) });
  const sso = (name: string) => tenant.issueSsoToken(user(name).id, seed.app.clientId);
  const refusal = (r: SimResponse) => jsonOf<OAuthError>(r);
  /** The ID token of a silent authorization code sign-in (prompt=none) of the app, for this user. */
  const signInIdToken = (upn: string): string => {
    const verifier = randomBytes(40).toString('base64url');
    const redirect = 'http://localhost:3978/auth/end';
    const scope = `openid https://${HOST}/.default`;
    const q = new URLSearchParams({
      client_id: seed.app.clientId,
      response_type: 'code',
      redirect_uri: redirect,
      scope,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      prompt: 'none',
      login_hint: upn,
      state: 's',
    });
    const a = call(tenant, 'GET', `/${seed.tenantId}/oauth2/v2.0/authorize?${q.toString()}`);
    const code = new URL(a.headers.location ?? '').searchParams.get('code') ?? '';
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: seed.app.clientId,
      client_secret: seed.app.clientSecret,
      code,
      redirect_uri: redirect,
      code_verifier: verifier,
      scope,
    });
    const t = call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    assert.equal(t.status, 200, t.body);
    return jsonOf<{ id_token: string }>(t).id_token;
  };

  it('refuses an assertion that is not an access token (an ID token for the app: no scp) with AADSTS50013', () => {
    // The ID token of the app's own sign-in: right audience, issuer and tenant, but no scp.
    const idToken = signInIdToken(user('Megan Bowen').userPrincipalName);
    assert.equal(tenant.decode(idToken).aud, seed.app.clientId);
    assert.equal(tenant.decode(idToken).scp, undefined);
    const r = obo(idToken, `https://${HOST}/.default`);
    assert.equal(r.status, 400, r.body);
    assert.equal(refusal(r).error, 'invalid_grant');
    assert.deepEqual(refusal(r).error_codes, [50013]);
  });

  it('refuses a delegated scope the user has not consented to with AADSTS65001, consent_required', () => {
    const adele = user('Adele Vance');
    assert.ok(!adele.scopes.includes('RoleManagement.ReadWrite.Directory'));
    const r = obo(sso('Adele Vance'), `https://${HOST}/RoleManagement.ReadWrite.Directory offline_access`);
    assert.equal(r.status, 400, r.body);
    assert.equal(refusal(r).error, 'invalid_grant');
    assert.deepEqual(refusal(r).error_codes, [65001]);
    assert.equal(refusal(r).suberror, 'consent_required');
  });

  it('grants a consented delegated scope, bare (Graph) or with the Graph root', () => {
    const scope = user('Adele Vance').scopes[0]!;
    assert.equal(obo(sso('Adele Vance'), `${scope} openid profile offline_access`).status, 200);
    assert.equal(obo(sso('Adele Vance'), `https://${HOST}/${scope}`).status, 200);
  });

  it('refuses scopes of two resources with invalid_scope, AADSTS70011', () => {
    const r = obo(sso('Megan Bowen'), `https://${HOST}/.default https://other.example/.default`);
    assert.equal(r.status, 400, r.body);
    assert.equal(refusal(r).error, 'invalid_scope');
    assert.deepEqual(refusal(r).error_codes, [70011]);
  });

  it('refuses /.default combined with a named scope with invalid_scope, AADSTS70011', () => {
    const scope = user('Megan Bowen').scopes[0]!;
    const r = obo(sso('Megan Bowen'), `https://${HOST}/.default https://${HOST}/${scope}`);
    assert.equal(r.status, 400, r.body);
    assert.equal(refusal(r).error, 'invalid_scope');
    assert.deepEqual(refusal(r).error_codes, [70011]);
  });
});
