// The notification intake's Entra token check, against a stand-in for Entra's OpenID metadata and
// key set. What a valid token is comes from the Microsoft identity platform's access-token docs:
// https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-tokens and
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference (`iss` is
// `https://sts.windows.net/{tid}/` for v1.0 tokens and `https://login.microsoftonline.com/{tid}/v2.0`
// for v2.0 tokens; `aud` the app; `roles` the app roles granted to the calling app).

import { strict as assert } from 'node:assert';
import { Claims, SigningKey, createSigningKey, signJwt } from '../../src/auth/jwt';
import { IntakeAuthenticator, IntakeFetch, tenantIssuers } from '../../src/notifications/intakeAuth';

const TID = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
const APP = '0d8a1f3e-2c4b-4e6a-9f1d-3b5c7e9a1b2c';
const CALLER = '9e4b2a1c-5d6f-4a7b-8c9d-0e1f2a3b4c5d';
const GLOBAL = 'https://login.microsoftonline.com';
const CHINA = 'https://login.chinacloudapi.cn';

type Mode = 'up' | 'refused' | 'hung' | 'error500' | 'keysDown';

/** Entra's two documents for one tenant, served from memory; `mode` breaks them on demand. */
function fakeEntra(authority: string, key: SigningKey) {
  const state = { mode: 'up' as Mode, requests: 0 };
  const fetchFn: IntakeFetch = async (url) => {
    state.requests++;
    if (state.mode === 'refused') throw new TypeError('fetch failed');
    if (state.mode === 'hung') return new Promise<Response>(() => undefined);
    if (state.mode === 'error500') return new Response('{}', { status: 500 });
    if (url === `${authority}/${TID}/v2.0/.well-known/openid-configuration`) {
      return Response.json({ issuer: `${authority}/${TID}/v2.0`, jwks_uri: `${authority}/${TID}/discovery/v2.0/keys` });
    }
    if (url === `${authority}/${TID}/discovery/v2.0/keys`) {
      if (state.mode === 'keysDown') return new Response('gateway', { status: 502 });
      return Response.json({ keys: [key.publicJwk] });
    }
    return new Response('{}', { status: 404 });
  };
  return { state, fetchFn };
}

function token(key: SigningKey, overrides: Claims = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      aud: APP,
      iss: `${GLOBAL}/${TID}/v2.0`,
      tid: TID,
      iat: now,
      nbf: now,
      exp: now + 3600,
      roles: ['Notifications.Send'],
      ver: '2.0',
      // The calling app: every v2.0 access token names it (azp; appid in v1.0).
      azp: CALLER,
      ...overrides,
    },
    key,
  );
}

describe('notification intake authentication (jose)', () => {
  let key: SigningKey;
  let entra: ReturnType<typeof fakeEntra>;
  let auth: IntakeAuthenticator;
  const bearer = (t: string) => `Bearer ${t}`;

  beforeEach(() => {
    key = createSigningKey('kid-1');
    entra = fakeEntra(GLOBAL, key);
    auth = new IntakeAuthenticator({
      authorityHost: GLOBAL,
      tenantId: TID,
      audiences: [APP, `api://${APP}`],
      fetch: entra.fetchFn,
      timeoutMs: 200,
    });
  });

  it('accepts v1.0 and v2.0 tokens when the tenant is configured by its domain name (tokens name its GUID)', async () => {
    // AAD_APP_TENANT_ID may be a domain; `tid` and `iss` always carry the tenant's GUID.
    const DOMAIN = 'contoso.onmicrosoft.com';
    const byDomain: IntakeFetch = (url, init) => entra.fetchFn(url.replace(`/${DOMAIN}/`, `/${TID}/`), init);
    const domainAuth = new IntakeAuthenticator({
      authorityHost: GLOBAL,
      tenantId: DOMAIN,
      audiences: [APP],
      fetch: byDomain,
      timeoutMs: 200,
    });
    assert.equal((await domainAuth.check(bearer(token(key)))).ok, true, 'v2.0 token');
    const v1 = token(key, { iss: `https://sts.windows.net/${TID}/`, ver: '1.0', azp: undefined, appid: CALLER });
    assert.equal((await domainAuth.check(bearer(v1))).ok, true, 'v1.0 token');
    const foreign = token(key, { tid: 'ffffffff-7a64-4f2b-9c3d-2e8f1a6b4c70' });
    assert.equal((await domainAuth.check(bearer(foreign))).ok, false, 'another tenant is still refused');
  });

  // The scheme's name is case-insensitive (RFC 9110 §11.1,
  // https://www.rfc-editor.org/rfc/rfc9110#section-11.1), and RFC 6750 §2.1 allows one or more
  // spaces before the token (https://www.rfc-editor.org/rfc/rfc6750#section-2.1).
  it('accepts the Bearer scheme however it is cased, and with more than one space', async () => {
    for (const header of [`bearer ${token(key)}`, `BEARER ${token(key)}`, `Bearer  ${token(key)}`]) {
      const result = await auth.check(header);
      assert.equal(result.ok, true, `${header.slice(0, 8)}: ${JSON.stringify(result)}`);
    }
    assert.equal((await auth.check(`Basic ${token(key)}`)).ok, false, 'another scheme is still refused');
  });

  it('names the v1.0 and v2.0 issuers of each cloud', () => {
    assert.deepEqual(tenantIssuers(GLOBAL, TID), [`${GLOBAL}/${TID}/v2.0`, `https://sts.windows.net/${TID}/`]);
    assert.deepEqual(tenantIssuers(CHINA, TID), [`${CHINA}/${TID}/v2.0`, `https://sts.chinacloudapi.cn/${TID}/`]);
    assert.deepEqual(tenantIssuers(GLOBAL, TID, 'https://login.microsoftonline.com/{tenantid}/v2.0').length, 2);
  });

  it('accepts a v2.0 and a v1.0 token of the tenant for this app with the role', async () => {
    const v2 = await auth.check(bearer(token(key)));
    assert.equal(v2.ok, true, JSON.stringify(v2));
    const v1 = await auth.check(
      bearer(
        token(key, {
          iss: `https://sts.windows.net/${TID}/`,
          aud: `api://${APP}`,
          ver: '1.0',
          azp: undefined,
          appid: CALLER,
        }),
      ),
    );
    assert.equal(v1.ok, true, JSON.stringify(v1));
  });

  it("accepts the China cloud's v1.0 issuer there, and not the global one", async () => {
    const china = fakeEntra(CHINA, key);
    const chinaAuth = new IntakeAuthenticator({
      authorityHost: CHINA,
      tenantId: TID,
      audiences: [APP],
      fetch: china.fetchFn,
    });
    assert.equal((await chinaAuth.check(bearer(token(key, { iss: `https://sts.chinacloudapi.cn/${TID}/` })))).ok, true);
    const global = await chinaAuth.check(bearer(token(key, { iss: `https://sts.windows.net/${TID}/` })));
    assert.deepEqual(global, { ok: false, status: 401, reason: 'The token was issued by another tenant.' });
  });

  it('refuses with 401 what is not a valid token for this app and tenant, and 403 without the role', async () => {
    const statusOf = async (header: string | undefined) => {
      const r = await auth.check(header);
      return r.ok ? 200 : r.status;
    };
    const forger = createSigningKey('kid-1');
    const now = Math.floor(Date.now() / 1000);
    assert.equal(await statusOf(undefined), 401);
    assert.equal(await statusOf('Basic abc'), 401);
    assert.equal(await statusOf(bearer('not.a.jwt')), 401);
    assert.equal(await statusOf(bearer(token(forger))), 401, 'signed by another key under the same kid');
    assert.equal(await statusOf(bearer(token(createSigningKey('kid-2')))), 401, 'a key the tenant does not publish');
    assert.equal(await statusOf(bearer(token(key, { aud: '11111111-1111-1111-1111-111111111111' }))), 401);
    assert.equal(
      await statusOf(bearer(token(key, { iss: `${GLOBAL}/99999999-9999-4999-8999-999999999999/v2.0` }))),
      401,
    );
    assert.equal(await statusOf(bearer(token(key, { tid: '99999999-9999-4999-8999-999999999999' }))), 401);
    assert.equal(await statusOf(bearer(token(key, { exp: now - 3600 }))), 401, 'expired beyond the skew');
    assert.equal(await statusOf(bearer(token(key, { exp: undefined }))), 401, 'no expiry');
    assert.equal(await statusOf(bearer(token(key, { nbf: now + 3600 }))), 401, 'not yet valid');
    assert.equal(await statusOf(bearer(token(key, { roles: [] }))), 403);
    assert.equal(await statusOf(bearer(token(key, { roles: undefined }))), 403);
    const unsigned = token(key).split('.').slice(0, 2).join('.') + '.';
    assert.equal(await statusOf(bearer(unsigned)), 401);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'kid-1' })).toString('base64url')}.${token(key).split('.')[1]}.`;
    assert.equal(await statusOf(bearer(none)), 401);
  });

  it('answers 503 (retryable), not 401, when Entra cannot be reached, and recovers', async () => {
    for (const mode of ['refused', 'hung', 'error500', 'keysDown'] as const) {
      const fresh = new IntakeAuthenticator({
        authorityHost: GLOBAL,
        tenantId: TID,
        audiences: [APP],
        fetch: entra.fetchFn,
        timeoutMs: 100,
      });
      entra.state.mode = mode;
      const down = await fresh.check(bearer(token(key)));
      assert.equal(down.ok, false, mode);
      assert.equal(!down.ok && down.status, 503, mode);
      assert.match(!down.ok ? down.reason : '', /try again later/);
      entra.state.mode = 'up';
      assert.equal((await fresh.check(bearer(token(key)))).ok, true, `${mode}: a failure is not remembered`);
    }
  });

  it('fetches the metadata and keys once, not per request', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await auth.check(bearer(token(key)))).ok, true);
    assert.equal(entra.state.requests, 2);
  });
});
