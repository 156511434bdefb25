// The simulated tenant's on-behalf-of grant takes an assertion addressed to the app that makes the
// request, and to no one else: "assertion: The access token that was sent to the middle-tier API.
// This token must have an audience (aud) claim of the app making this OBO request (the app
// denoted by the client-id field)"
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow). An
// app's audience is its client id or one of the Application ID URIs registered for it
// (identifierUris; https://learn.microsoft.com/en-us/entra/identity-platform/reference-app-manifest#identifieruris-attribute):
// the bot's registration sets api://botid-{BOT_ID}, where BOT_ID is the Azure Bot's app id, which
// need not be the SSO app's client id. Any other audience, even an api:// URI that ends in the
// client id, is an invalid assertion: invalid_grant, AADSTS50013 (InvalidAssertion,
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes) in Entra's
// error envelope.

import { strict as assert } from 'node:assert';
import { Claims, createSigningKey, signJwt } from '../../src/auth/jwt';
import { assertionIssuers, onBehalfOfGrant, OboGrantContext } from '../../src/sandbox/oboGrant';
import type { SimResponse } from '../../src/sandbox/envelope';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { call, oboForm } from '../fixtures/tenantClient';

const TID = 'aaaaaaaa-0000-4000-8000-000000000001';
const CLIENT = 'cccccccc-0000-4000-8000-000000000003';
const BOT = 'eeeeeeee-0000-4000-8000-000000000005';
const USER = 'dddddddd-0000-4000-8000-000000000004';
const REGISTERED = `api://botid-${BOT}`;

describe('simulated on-behalf-of grant: the assertion’s audience', () => {
  const key = createSigningKey();
  const now = Date.UTC(2026, 0, 5, 9);
  const context: OboGrantContext = {
    clientId: CLIENT,
    identifierUris: [REGISTERED],
    clientSecret: 'secret',
    tenantId: TID,
    issuers: assertionIssuers('global', TID, ['https://login.sandbox']),
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
  };
  const grant = (claims: Claims): SimResponse => {
    const iat = Math.floor(now / 1000);
    const assertion = signJwt(
      {
        iss: `https://login.sandbox/${TID}/v2.0`,
        tid: TID,
        oid: USER,
        scp: 'access_as_user',
        iat,
        nbf: iat,
        exp: iat + 600,
        ...claims,
      },
      key,
    );
    return onBehalfOfGrant(
      {
        method: 'POST',
        url: `/${TID}/oauth2/v2.0/token`,
        headers: { host: 'login.sandbox' },
        body: new URLSearchParams({
          client_id: CLIENT,
          client_secret: 'secret',
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          requested_token_use: 'on_behalf_of',
          assertion,
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
      },
      'https://graph.microsoft.com',
      context,
    );
  };
  const refused = (r: SimResponse, what: string) => {
    assert.equal(r.status, 400, what);
    const body = JSON.parse(r.body ?? '{}') as { error: string; error_description: string; error_codes: number[] };
    assert.equal(body.error, 'invalid_grant', what);
    assert.match(body.error_description, /^AADSTS50013: Assertion audience does not match/, what);
    assert.deepEqual(body.error_codes, [50013], what);
  };

  it('takes the client id (a v2.0 token) and the registered Application ID URI (a v1.0 one)', () => {
    assert.equal(grant({ aud: CLIENT, ver: '2.0' }).status, 200, 'client id');
    assert.equal(
      grant({ aud: REGISTERED, ver: '1.0', iss: `https://sts.windows.net/${TID}/` }).status,
      200,
      'api://botid-{BOT_ID}, the bot app differing from the SSO app',
    );
  });

  it('refuses an Application ID URI the app never registered, even one that ends in its client id', () => {
    refused(grant({ aud: `api://attacker.example/${CLIENT}` }), 'another host before the client id');
    refused(grant({ aud: `api://botid-${CLIENT}` }), 'api://botid-{client id}, not registered here');
    refused(grant({ aud: `api://${CLIENT}` }), 'api://{client id}, not registered here');
  });

  it("refuses another app's audience and an assertion without one", () => {
    refused(grant({ aud: BOT }), "the bot app's client id");
    refused(grant({ aud: 'https://graph.microsoft.com' }), 'a Graph token');
    refused(grant({ aud: CLIENT.toUpperCase() + 'x' }), 'a near miss');
    refused(grant({ aud: undefined }), 'no audience');
  });

  it('the tenant itself takes its own SSO tokens and refuses an unregistered audience', () => {
    const seed = loadDemoSeed();
    const tenant = new SimulatedTenant(seed);
    const user = seed.users.find((u) => u.consent !== false && !u.mfaRequired && !u.accessBlocked)!;
    const sso = tenant.issueSsoToken(user.id, seed.app.clientId);
    assert.equal(call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, { body: oboForm(seed, sso) }).status, 200);
    // The tenant's signing key, to sign an assertion it would never issue (only for this check).
    const tenantKey = (tenant as unknown as { entra: { key: Parameters<typeof signJwt>[1] } }).entra.key;
    const iat = Math.floor(Date.now() / 1000);
    const forged = signJwt(
      {
        aud: `api://attacker.example/${seed.app.clientId}`,
        iss: `https://login.sandbox/${seed.tenantId}/v2.0`,
        tid: seed.tenantId,
        oid: user.id,
        scp: 'access_as_user',
        iat,
        nbf: iat,
        exp: iat + 600,
      },
      tenantKey,
    );
    refused(
      call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, { body: oboForm(seed, forged) }),
      'unregistered URI',
    );
  });
});
