// The simulated Entra's sign-in pages, followed like a browser would: a consented user straight
// through, the consent page (accepted, declined, forced by prompt=consent), the MFA page (after a
// wrong code), a claims challenge, and the same pages over HTTPS.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow (consent and
// MFA errors of the on-behalf-of grant, and that an interactive sign-in resolves them)

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import type { DemoSeed } from '../../src/sandbox/seed';
import { startTenantServer } from '../../src/sandbox/server';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { REDIRECT, authCodeSession, formOf } from '../fixtures/authCodeSession';
import { call, jsonOf } from '../fixtures/tenantClient';

describe('simulated Entra: authorization code flow with PKCE', () => {
  const session = authCodeSession();
  const { user, verifier, authorizeUrl, submit, locationOf, redeem, obo, signIn } = session;
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  // The session's beforeEach, registered first, has made this test's tenant by now.
  beforeEach(() => {
    ({ seed, tenant } = session);
  });

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
    const consent = submit(call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Alex Wilber').userPrincipalName })));
    const back = locationOf(submit(consent, { decision: 'decline' }));
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'state-123');
    assert.equal(back.searchParams.get('code'), null);
    assert.equal(obo('Alex Wilber').status, 400);
  });

  it('prompt=consent shows the consent page to a user who has consented', () => {
    const v = verifier();
    const next = submit(
      call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Megan Bowen').userPrincipalName, prompt: 'consent' })),
    );
    assert.ok(formOf(next.body ?? '').buttons.accept, 'consent page');
  });

  it('Isaiah Langer completes MFA (a wrong code is refused first); later exchanges succeed', () => {
    assert.match(obo('Isaiah Langer').body ?? '', /AADSTS50076/);
    const v = verifier();
    const mfa = submit(call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Isaiah Langer').userPrincipalName })));
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
    const next = submit(
      call(tenant, 'GET', authorizeUrl(v, { login_hint: user('Megan Bowen').userPrincipalName, claims })),
    );
    assert.ok(formOf(next.body ?? '').otpHint, 'MFA page');
    assert.equal(
      call(tenant, 'GET', authorizeUrl(v, { claims: '{nope' })).status,
      302,
      'bad claims JSON: error redirect',
    );
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
      const pick = await request('GET', authorizeUrl(v, { login_hint: user('Alex Wilber').userPrincipalName }));
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
