// The simulated tenant's on-behalf-of grant takes only an assertion its own tenant issued, as
// Entra does: a token of another tenant (`tid`) or of another issuer (`iss`) is refused as an
// invalid assertion, invalid_grant with AADSTS50013 in Entra's error envelope
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example,
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes: AADSTS50013
// InvalidAssertion). The tenant's issuers are its v2.0 `{authority}/{tid}/v2.0` and v1.0
// `https://sts.windows.net/{tid}/` (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).

import { strict as assert } from 'node:assert';
import { Claims, createSigningKey, signJwt } from '../../src/auth/jwt';
import { assertionIssuers, onBehalfOfGrant, OboGrantContext } from '../../src/sandbox/oboGrant';
import type { SimResponse } from '../../src/sandbox/envelope';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { HOST, call, oboForm } from '../fixtures/tenantClient';

const TID = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'bbbbbbbb-0000-4000-8000-000000000002';
const CLIENT = 'cccccccc-0000-4000-8000-000000000003';
const USER = 'dddddddd-0000-4000-8000-000000000004';

describe('simulated on-behalf-of grant: the assertion’s issuer and tenant', () => {
  const key = createSigningKey();
  const now = Date.UTC(2026, 0, 5, 9);
  const context = (cloud: 'global' | 'china' = 'global'): OboGrantContext => ({
    clientId: CLIENT,
    identifierUris: [`api://botid-${CLIENT}`],
    clientSecret: 'secret',
    tenantId: TID,
    issuers: assertionIssuers(cloud, TID, ['https://login.sandbox']),
    publicJwk: key.publicJwk,
    now: () => now,
    userById: (id) =>
      id === USER ? { id: USER, displayName: 'Megan', userPrincipalName: 'megan@contoso.test', scopes: [] } : undefined,
    hasConsented: () => true,
    hasMfaSession: () => false,
    oauthError: (status, error, code, text) => ({
      status,
      headers: {},
      body: JSON.stringify({ error, error_description: `AADSTS${code}: ${text}`, error_codes: [code] }),
    }),
    tokenBody: () => ({ access_token: 'graph' }),
    json: (status, payload) => ({ status, headers: {}, body: JSON.stringify(payload) }),
  });
  const assertion = (claims: Claims) => {
    const iat = Math.floor(now / 1000);
    return signJwt(
      {
        aud: `api://botid-${CLIENT}`,
        iss: `https://login.sandbox/${TID}/v2.0`,
        tid: TID,
        oid: USER,
        // A Teams SSO token is an access token for the app: it carries the app's scope.
        scp: 'access_as_user',
        iat,
        nbf: iat,
        exp: iat + 600,
        ...claims,
      },
      key,
    );
  };
  const grant = (claims: Claims, cloud?: 'global' | 'china'): SimResponse =>
    onBehalfOfGrant(
      {
        method: 'POST',
        url: `/${TID}/oauth2/v2.0/token`,
        headers: { host: 'login.sandbox' },
        body: new URLSearchParams({
          client_id: CLIENT,
          client_secret: 'secret',
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          requested_token_use: 'on_behalf_of',
          assertion: assertion(claims),
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
      },
      'https://graph.microsoft.com',
      context(cloud),
    );
  const refusedAsInvalidAssertion = (r: SimResponse, what: string) => {
    assert.equal(r.status, 400, what);
    const body = JSON.parse(r.body ?? '{}') as { error: string; error_description: string; error_codes: number[] };
    assert.equal(body.error, 'invalid_grant', what);
    assert.match(body.error_description, /^AADSTS50013: /, what);
    assert.deepEqual(body.error_codes, [50013], what);
  };

  it("takes the tenant's v2.0 and v1.0 issuers of the cloud it plays, and its own sign-in host's", () => {
    for (const iss of [
      `https://login.sandbox/${TID}/v2.0`,
      `https://login.microsoftonline.com/${TID}/v2.0`,
      `https://sts.windows.net/${TID}/`,
    ]) {
      assert.equal(grant({ iss }).status, 200, iss);
    }
    assert.equal(grant({ iss: `https://login.chinacloudapi.cn/${TID}/v2.0` }, 'china').status, 200);
    assert.equal(grant({ iss: `https://sts.chinacloudapi.cn/${TID}/` }, 'china').status, 200);
  });

  it('refuses an assertion of another tenant (tid), even under this tenant’s issuer', () => {
    refusedAsInvalidAssertion(grant({ tid: OTHER }), 'another tid');
    refusedAsInvalidAssertion(grant({ tid: undefined }), 'no tid');
    refusedAsInvalidAssertion(
      grant({ tid: OTHER, iss: `https://login.microsoftonline.com/${OTHER}/v2.0` }),
      'another tenant entirely',
    );
  });

  it('refuses an assertion of another issuer, or of another cloud', () => {
    refusedAsInvalidAssertion(
      grant({ iss: `https://login.microsoftonline.com/${OTHER}/v2.0` }),
      'issuer of another tenant',
    );
    refusedAsInvalidAssertion(grant({ iss: `https://evil.example/${TID}/v2.0` }), 'another host');
    refusedAsInvalidAssertion(grant({ iss: `https://sts.windows.net/${TID}/` }, 'china'), 'v1 issuer of another cloud');
    refusedAsInvalidAssertion(grant({ iss: undefined }), 'no issuer');
  });

  it('the tenant itself: its own SSO tokens pass; one under another issuer is refused', () => {
    const seed = loadDemoSeed();
    const tenant = new SimulatedTenant(seed);
    const user = seed.users.find((u) => u.consent !== false && !u.mfaRequired && !u.accessBlocked)!;
    const post = (sso: string) =>
      call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, { body: oboForm(seed, sso) });
    assert.equal(post(tenant.issueSsoToken(user.id, seed.app.clientId)).status, 200, 'the default sign-in host');
    assert.equal(post(tenant.issueSsoToken(user.id, seed.app.clientId, { host: HOST })).status, 200, 'the host asked');
    refusedAsInvalidAssertion(
      post(tenant.issueSsoToken(user.id, seed.app.clientId, { host: 'evil.example' })),
      'another issuer',
    );
  });
});
