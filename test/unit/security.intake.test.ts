// Attacks on the notification intake's token check (src/notifications/intakeAuth.ts). The intake
// is for applications (Logic Apps, watchers): the Notifications.Send app role is granted to apps.
// A user's delegated token for the same app carries `scp` and, if the role were ever assigned to
// users (an app role may allow "Users/Groups" as well), the same `roles` value: Microsoft's page
// says an API that takes only application tokens must tell them apart, by `idtyp` = "app" or by
// the absence of `scp`.
// https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-the-user-has-permission-to-access-this-data
// https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference

import { strict as assert } from 'node:assert';
import { Claims, SigningKey, createSigningKey, signJwt } from '../../src/auth/jwt';
import { IntakeAuthenticator, IntakeFetch } from '../../src/notifications/intakeAuth';

const TID = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
const APP = '0d8a1f3e-2c4b-4e6a-9f1d-3b5c7e9a1b2c';
const AUTHORITY = 'https://login.microsoftonline.com';

/** Entra's metadata and keys for one tenant, from memory. */
function entraFetch(key: SigningKey): IntakeFetch {
  return async (url) => {
    if (url === `${AUTHORITY}/${TID}/v2.0/.well-known/openid-configuration`) {
      return Response.json({ issuer: `${AUTHORITY}/${TID}/v2.0`, jwks_uri: `${AUTHORITY}/${TID}/discovery/v2.0/keys` });
    }
    if (url === `${AUTHORITY}/${TID}/discovery/v2.0/keys`) return Response.json({ keys: [key.publicJwk] });
    return new Response('{}', { status: 404 });
  };
}

describe('security: notification intake takes application tokens only', () => {
  const key = createSigningKey('kid-1');
  const auth = new IntakeAuthenticator({
    authorityHost: AUTHORITY,
    tenantId: TID,
    audiences: [APP, `api://botid-${APP}`],
    fetch: entraFetch(key),
    timeoutMs: 1_000,
  });
  const bearer = (claims: Claims) => {
    const now = Math.floor(Date.now() / 1000);
    const base = {
      aud: APP,
      iss: `${AUTHORITY}/${TID}/v2.0`,
      tid: TID,
      iat: now,
      nbf: now,
      exp: now + 3600,
      ver: '2.0',
    };
    return `Bearer ${signJwt({ ...base, ...claims }, key)}`;
  };
  const statusOf = async (claims: Claims) => {
    const r = await auth.check(bearer(claims));
    return r.ok ? 200 : r.status;
  };

  it('takes an application token with the role (the control)', async () => {
    assert.equal(await statusOf({ roles: ['Notifications.Send'], idtyp: 'app', azp: APP }), 200);
    assert.equal(await statusOf({ roles: ['Notifications.Send'], azp: APP }), 200, 'idtyp is an optional claim');
    assert.equal(
      await statusOf({ roles: ['Notifications.Send'], appid: APP, ver: '1.0', iss: `https://sts.windows.net/${TID}/` }),
      200,
      'a v1.0 token names its client in appid',
    );
  });

  // An ID token is signed with the tenant's same keys, its `iss` is the tenant's v2.0 issuer and
  // its `aud` is the app's client id (one of the intake's audiences), and it carries the `roles`
  // assigned to its user; it has no `scp` and no `idtyp`. What tells it from an access token is
  // the client: an access token names it in `azp` (v2.0) or `appid` (v1.0), an ID token in neither.
  // https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference
  // https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
  it("refuses a user's ID token that carries the role (401: not an access token)", async () => {
    const idToken = {
      roles: ['Notifications.Send'],
      oid: '7d3c1f0e-1111-4111-8111-111111111111',
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      preferred_username: 'adele@contoso.com',
      nonce: 'n-0S6_WzA2Mj',
      aio: 'Df2UVXL1ix!lMCWMSOJBcFatzcGfvFGhjKv8q5g0x732dR5MB5BisvGQO7YWByjd8iQDLq!eGbIDakyp5mnOrcdqHeYSnltepQmRp6AIZ8jY',
    };
    const r = await auth.check(bearer(idToken));
    assert.equal(r.ok, false);
    assert.equal(r.ok ? 200 : r.status, 401);
  });

  it("refuses a user's delegated token with 403, even when it carries the role", async () => {
    const user = { roles: ['Notifications.Send'], oid: '7d3c1f0e-1111-4111-8111-111111111111' };
    assert.equal(await statusOf({ ...user, scp: 'access_as_user', idtyp: 'user' }), 403);
    assert.equal(await statusOf({ ...user, scp: 'access_as_user' }), 403, 'a user token without idtyp has scp');
    assert.equal(await statusOf({ ...user, idtyp: 'user' }), 403);
    assert.equal(
      await statusOf({ ...user, aud: `api://botid-${APP}`, scp: 'access_as_user' }),
      403,
      'a Teams SSO token',
    );
  });
});
