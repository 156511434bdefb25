// Redeeming an authorization code with msal-node (src/auth/codeRedeemer.ts) against a strict
// stand-in of Entra's token endpoint: PKCE verifier, single-use code, exact redirect URI, and a
// deadline on the call.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import { MsalCodeRedeemer, RedeemError } from '../../src/auth/codeRedeemer';
import { s256 } from '../../src/auth/pages/pkce';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { FakeCodeAuthority } from '../fixtures/fakeCodeAuthority';

const TENANT = '6f0d1c2b-7a1e-4c39-9d1e-2b3c4d5e6f70';
const CLIENT_ID = '0b8a7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const SECRET = 'sso-app-secret-value';
const MEGAN = '8f1c2d3e-0000-4000-8000-00000000a001';
const SCOPES = ['https://graph.microsoft.com/LifecycleWorkflows.ReadWrite.All'];

function location(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        res.resume();
        resolve(String(res.headers.location));
      })
      .on('error', reject);
  });
}

describe('code redemption with msal-node against a strict authority', () => {
  let cert: LoopbackCertificate;
  let authority: FakeCodeAuthority;
  const redirectUri = 'https://bot.contoso.example/auth/end';

  before(async () => {
    cert = await generateLoopbackCertificate();
  });
  beforeEach(async () => {
    authority = new FakeCodeAuthority(
      { clientId: CLIENT_ID, clientSecret: SECRET, tenantId: TENANT, redirectUris: [redirectUri] },
      cert,
    );
    await authority.start();
  });
  afterEach(() => authority.stop());

  async function codeFor(challenge: string): Promise<string> {
    authority.nextUser = { id: MEGAN, tenantId: TENANT };
    const q = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const back = await location(`${authority.host}/${TENANT}/oauth2/v2.0/authorize?${q.toString()}`, cert.ca);
    return new URL(back).searchParams.get('code') ?? '';
  }

  function redeemer(timeoutMs?: number): MsalCodeRedeemer {
    return new MsalCodeRedeemer({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      tenantId: TENANT,
      authorityHost: authority.host,
      ca: cert.ca,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  }

  async function reason(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof RedeemError, String(e));
      return e.reason;
    }
    return 'redeemed';
  }

  it('refuses a wrong verifier, a second redemption and another redirect URI (invalid_grant)', async () => {
    const verifier = 'x'.repeat(43);
    const request = { codeVerifier: verifier, redirectUri, scopes: SCOPES };
    assert.equal(
      await reason(
        redeemer().redeem({ ...request, code: await codeFor(s256(verifier)), codeVerifier: 'y'.repeat(43) }),
      ),
      'invalid_grant',
    );
    const code = await codeFor(s256(verifier));
    assert.equal(await reason(redeemer().redeem({ ...request, code })), 'redeemed');
    assert.equal(await reason(redeemer().redeem({ ...request, code })), 'invalid_grant');
    const other = await codeFor(s256(verifier));
    assert.equal(
      await reason(redeemer().redeem({ ...request, code: other, redirectUri: 'https://elsewhere.example/auth/end' })),
      'invalid_grant',
    );
  });

  it('gives up at its deadline when the token endpoint does not answer', async () => {
    authority.hangTokenEndpoint = true;
    const verifier = 'z'.repeat(43);
    const code = await codeFor(s256(verifier));
    assert.equal(
      await reason(redeemer(200).redeem({ code, codeVerifier: verifier, redirectUri, scopes: SCOPES })),
      'unavailable',
    );
  });
});
