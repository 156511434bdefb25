// The simulated Entra's authorization code flow with PKCE, driven like a browser would: plain HTTP
// requests that follow the pages' forms and redirects.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow (consent and
// MFA errors of the on-behalf-of grant, and that an interactive sign-in resolves them)

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as https from 'node:https';
import { pkceChallenge } from '../../src/sandbox/authorizeCodes';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import type { SimResponse } from '../../src/sandbox/envelope';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { startTenantServer } from '../../src/sandbox/server';
import { SimulatedTenant, TenantOptions } from '../../src/sandbox/tenant';
import { HOST, call, jsonOf } from '../fixtures/tenantClient';

const REDIRECT = 'http://127.0.0.1:3978/auth/end';
const SCOPES = 'openid profile offline_access https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory';

interface Form {
  action: string;
  fields: Record<string, string>;
  buttons: Record<string, { name: string; value: string }>;
  otpHint: string | null;
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The one form of a sign-in page, as a browser would submit it. */
function formOf(html: string): Form {
  const action = /<form method="post" action="([^"]*)">/.exec(html)?.[1];
  assert.ok(action, 'the page has a form');
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[m[1]!] = unescape(m[2]!);
  const select = /<select id="user" name="user">([\s\S]*?)<\/select>/.exec(html)?.[1];
  if (select) {
    const chosen = /<option value="([^"]+)" selected>/.exec(select) ?? /<option value="([^"]+)"/.exec(select);
    fields.user = unescape(chosen?.[1] ?? '');
  }
  const buttons: Form['buttons'] = {};
  for (const m of html.matchAll(/<button type="submit" id="([^"]+)"(?: name="([^"]+)" value="([^"]+)")?>/g)) {
    buttons[m[1]!] = { name: m[2] ?? '', value: m[3] ?? '' };
  }
  return {
    action: unescape(action),
    fields,
    buttons,
    otpHint: /<code id="otp-hint">(\d+)<\/code>/.exec(html)?.[1] ?? null,
  };
}

describe('simulated Entra: authorization code flow with PKCE', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let clock: number;
  const user = (name: string) => seed.users.find((u) => u.displayName === name)!;

  const make = (options: TenantOptions = {}) => {
    seed = loadDemoSeed();
    clock = Date.UTC(2026, 0, 5, 9);
    tenant = new SimulatedTenant(seed, { now: () => clock, ...options });
  };
  beforeEach(() => make());

  const verifier = () => randomBytes(32).toString('base64url');
  const authorizeUrl = (v: string, extra: Record<string, string> = {}) =>
    `/${seed.tenantId}/oauth2/v2.0/authorize?` +
    new URLSearchParams({
      client_id: seed.app.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: SCOPES,
      state: 'state-123',
      nonce: 'nonce-9',
      code_challenge: pkceChallenge(v),
      code_challenge_method: 'S256',
      ...extra,
    }).toString();
  const submit = (page: SimResponse, extra: Record<string, string> = {}): SimResponse => {
    assert.equal(page.status, 200, page.body);
    const f = formOf(page.body ?? '');
    return call(tenant, 'POST', f.action, { body: new URLSearchParams({ ...f.fields, ...extra }).toString() });
  };
  const locationOf = (r: SimResponse) => {
    assert.equal(r.status, 302, r.body);
    return new URL(r.headers.location ?? '');
  };
  const redeem = (code: string, v: string, overrides: Record<string, string> = {}) =>
    call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, {
      body: new URLSearchParams({
        client_id: seed.app.clientId,
        client_secret: seed.app.clientSecret,
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: v,
        scope: SCOPES,
        ...overrides,
      }).toString(),
    });
  const obo = (name: string) =>
    call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, {
      body: new URLSearchParams({
        client_id: seed.app.clientId,
        client_secret: seed.app.clientSecret,
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        assertion: tenant.issueSsoToken(user(name).id, seed.app.clientId),
        scope: `https://${HOST}/.default`,
      }).toString(),
    });
  /** Signs in through the pages; returns the code and the verifier. */
  const signIn = (name: string, extra: Record<string, string> = {}) => {
    const v = verifier();
    let page = call(tenant, 'GET', authorizeUrl(v, { login_hint: user(name).userPrincipalName, ...extra }));
    assert.equal(formOf(page.body ?? '').fields.user, user(name).id, 'login_hint preselects the account');
    page = submit(page);
    for (let i = 0; i < 3 && page.status === 200; i++) {
      const f = formOf(page.body ?? '');
      page = f.otpHint ? submit(page, { otp: f.otpHint }) : submit(page, { decision: 'accept' });
    }
    const back = locationOf(page);
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
    assert.equal(back.searchParams.get('state'), 'state-123');
    return { code: back.searchParams.get('code') ?? '', v };
  };

  it('signs in a consented user: code and state back to the redirect URI, tokens for that user', () => {
    const { code, v } = signIn('Megan Bowen');
    const r = redeem(code, v);
    assert.equal(r.status, 200, r.body);
    const body = jsonOf<{ access_token: string; id_token: string; token_type: string }>(r);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(tenant.decode(body.access_token).oid, user('Megan Bowen').id);
    assert.equal(tenant.decode(body.id_token).nonce, 'nonce-9');
    assert.equal(tenant.decode(body.id_token).aud, seed.app.clientId);
    const graph = call(
      tenant,
      'GET',
      `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}`,
      {
        bearer: body.access_token,
      },
    );
    assert.equal(graph.status, 200, 'the redeemed token works on Graph');
  });

  it('Alex Wilber consents on the consent page; later on-behalf-of exchanges succeed', () => {
    assert.match(obo('Alex Wilber').body ?? '', /AADSTS65001/);
    const v = verifier();
    const pick = call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Alex Wilber').userPrincipalName }));
    const consent = submit(pick);
    const form = formOf(consent.body ?? '');
    assert.ok(form.buttons.accept && form.buttons.decline, 'a consent page');
    assert.match(consent.body ?? '', /RoleAssignmentSchedule\.ReadWrite\.Directory/);
    // Browsers apply form-action to the redirect after a submission: the app's origin is allowed,
    // or the browser stays on this page (https://www.w3.org/TR/CSP3/#directive-form-action).
    assert.match(
      consent.headers['content-security-policy'] ?? '',
      new RegExp(`form-action 'self' ${new URL(REDIRECT).origin}`),
    );
    const back = locationOf(submit(consent, { decision: 'accept' }));
    assert.equal(redeem(back.searchParams.get('code') ?? '', v).status, 200);
    assert.equal(obo('Alex Wilber').status, 200, 'consent is recorded');
  });

  it('declining consent returns access_denied with the state, and consent stays missing', () => {
    const v = verifier();
    const consent = submit(call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Alex Wilber').id })));
    const back = locationOf(submit(consent, { decision: 'decline' }));
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'state-123');
    assert.equal(back.searchParams.get('code'), null);
    assert.equal(obo('Alex Wilber').status, 400);
  });

  it('prompt=consent shows the consent page to a user who has consented', () => {
    const v = verifier();
    const next = submit(
      call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Megan Bowen').id, prompt: 'consent' })),
    );
    assert.ok(formOf(next.body ?? '').buttons.accept, 'consent page');
  });

  it('Isaiah Langer completes MFA (a wrong code is refused first); later exchanges succeed', () => {
    assert.match(obo('Isaiah Langer').body ?? '', /AADSTS50076/);
    const v = verifier();
    const mfa = submit(call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Isaiah Langer').id })));
    const hint = formOf(mfa.body ?? '').otpHint;
    assert.ok(hint, 'an MFA page');
    const wrong = submit(mfa, { otp: hint === '000000' ? '111111' : '000000' });
    assert.match(wrong.body ?? '', /otp-error/);
    const back = locationOf(submit(wrong, { otp: hint }));
    const tokens = jsonOf<{ access_token: string }>(redeem(back.searchParams.get('code') ?? '', v));
    assert.deepEqual(tenant.decode(tokens.access_token).amr, ['pwd', 'mfa']);
    assert.equal(obo('Isaiah Langer').status, 200, 'MFA satisfied for the session');
  });

  // https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge
  it('a claims challenge asks for MFA even for a user Conditional Access does not', () => {
    const v = verifier();
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });
    const next = submit(call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Megan Bowen').id, claims })));
    assert.ok(formOf(next.body ?? '').otpHint, 'MFA page');
    assert.equal(
      call(tenant, 'GET', authorizeUrl(v, { claims: '{nope' })).status,
      302,
      'bad claims JSON: error redirect',
    );
  });

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
    clock += 10 * 60_000;
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
      call(tenant, 'GET', authorizeUrl(v, { prompt: 'none', login_hint: user('Alex Wilber').id })),
    );
    assert.equal(silent.searchParams.get('error'), 'consent_required');
    make({ redirectUris: ['https://bot.contoso.example/auth/end'] });
    assert.equal(call(tenant, 'GET', authorizeUrl(v)).status, 400, 'only registered URIs once some are registered');
  });

  it('follows the same pages over HTTPS', async () => {
    const tls = await generateLoopbackCertificate();
    const server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
    const request = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; location?: string; text: string }>((resolve, reject) => {
        const req = https.request(
          `${server.url}${path}`,
          {
            method,
            ca: tls.ca,
            headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                text,
                ...(res.headers.location ? { location: res.headers.location } : {}),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const v = verifier();
      const pick = await request('GET', authorizeUrl(v, { login_hint: user('Alex Wilber').id }));
      const f1 = formOf(pick.text);
      const consent = await request('POST', f1.action, new URLSearchParams(f1.fields).toString());
      const f2 = formOf(consent.text);
      const back = await request(
        'POST',
        f2.action,
        new URLSearchParams({ ...f2.fields, decision: 'accept' }).toString(),
      );
      assert.equal(back.status, 302);
      const code = new URL(back.location ?? '').searchParams.get('code') ?? '';
      const token = await request(
        'POST',
        `/${seed.tenantId}/oauth2/v2.0/token`,
        new URLSearchParams({
          client_id: seed.app.clientId,
          client_secret: seed.app.clientSecret,
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          code_verifier: v,
        }).toString(),
      );
      assert.equal(token.status, 200, token.text);
    } finally {
      await server.close();
    }
  });
});
