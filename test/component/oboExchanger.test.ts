// The on-behalf-of exchange with msal-node (src/auth/oboExchanger.ts) against the simulated
// tenant's token endpoint over HTTPS: a Graph token for a consented user, and Entra's refusals
// kept as the sign-in pages need them (consent, MFA with its claims challenge), plus a deadline.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example
// https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { MsalOboExchanger, oboFailure } from '../../src/auth/oboExchanger';
import { createReplyCards } from '../../src/bot/replyCards';
import { ClaimsChallengeError, claimsOf } from '../../src/auth/tokens';
import { SignInRequiredError, UpstreamError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { TenantServer, startTenantServer } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';

describe('on-behalf-of exchange with msal-node against the simulated tenant', () => {
  let tls: LoopbackCertificate;
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let server: TenantServer;

  before(async () => {
    tls = await generateLoopbackCertificate();
  });
  beforeEach(async () => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed);
    server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
  });
  afterEach(() => server.close());

  const app = () => ({ clientId: seed.app.clientId, clientSecret: seed.app.clientSecret, tenantId: seed.tenantId });
  const exchanger = (authorityHost = server.url, timeoutMs?: number) =>
    new MsalOboExchanger(app(), {
      authorityHost,
      graphEndpoint: server.url,
      ca: tls.ca,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  const idOf = (name: string) => seed.users.find((u) => u.displayName === name)!.id;
  const sso = (name: string) => tenant.issueSsoToken(idOf(name), seed.app.clientId);
  const failure = async (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      () => assert.fail('expected a failure'),
      (e) => e,
    );

  it('returns a Graph token for a consented user', async () => {
    const t = await exchanger().exchange(sso('Megan Bowen'));
    assert.equal(tenant.decode(t.token).oid, idOf('Megan Bowen'));
    assert.ok(t.expiresOnTimestamp > Date.now());
  });

  it('keeps consent missing as the consent reason', async () => {
    const e = await failure(exchanger().exchange(sso('Alex Wilber')));
    assert.ok(e instanceof SignInRequiredError);
    assert.equal(e.reason, 'consent');
    assert.equal(claimsOf(e), undefined);
  });

  it("keeps MFA required with Entra's claims challenge", async () => {
    const e = await failure(exchanger().exchange(sso('Isaiah Langer')));
    assert.ok(e instanceof ClaimsChallengeError, String(e));
    assert.equal(e.reason, 'mfa');
    assert.deepEqual(Object.keys(JSON.parse(e.claims) as object), ['access_token']);
    assert.doesNotMatch(e.message, /AADSTS|eyJ/, 'no Entra text or token in the message');
  });

  it('a Conditional Access block without a claims challenge (AADSTS53003) is blocked, with its correlation id; with one, MFA', async () => {
    // AADSTS53003 "Access has been blocked by Conditional Access policies": without a claims
    // challenge no sign-in can meet the policy; with one, the challenge goes to the authorize request.
    // https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
    // https://learn.microsoft.com/en-us/entra/identity-platform/v2-conditional-access-dev-guide
    const blocked = {
      ...seed,
      users: seed.users.map((u) => (u.displayName === 'Megan Bowen' ? { ...u, accessBlocked: true } : u)),
    };
    await server.close();
    tenant = new SimulatedTenant(blocked);
    server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
    const e = await failure(exchanger().exchange(sso('Megan Bowen')));
    assert.ok(e instanceof SignInRequiredError, String(e));
    assert.equal(e.reason, 'blocked');
    assert.equal(claimsOf(e), undefined);
    assert.match(e.correlationId ?? '', /^[0-9a-f-]{36}$/, "Entra's correlation id, for the administrator");
    const cards = createReplyCards({ cloud: 'global', examples: null });
    const words = JSON.stringify(cards.signInProblem(e, null).attachment.content);
    assert.match(words, /Conditional Access policy blocked/);
    assert.match(words, /contact your administrator/i);
    assert.ok(words.includes(e.correlationId!), words);
    assert.doesNotMatch(words, /multi-factor/i);

    const challenged = oboFailure({
      errorCode: 'invalid_grant',
      errorNo: 53003,
      errorMessage: 'AADSTS53003: Access has been blocked by Conditional Access policies.',
      claims: '{"access_token":{"capolids":{"essential":true,"values":["1"]}}}',
    });
    assert.ok(challenged instanceof ClaimsChallengeError);
    assert.equal(challenged.reason, 'mfa', 'a claims challenge a sign-in can meet stays as it was');
  });

  it('AADSTS53003 as interaction_required with suberror message_only is blocked, not MFA, with or without claims', () => {
    // Entra answers a Conditional Access policy at the token endpoint as interaction_required
    // (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example);
    // suberror message_only: "Issue cannot be resolved. Launching interactive authentication flow
    // will show a message explaining the condition"
    // (https://learn.microsoft.com/en-us/dotnet/api/microsoft.identity.client.uirequiredexceptionclassification),
    // so a claims challenge that comes with it leads to the same block, not to a sign-in that passes.
    const text = 'AADSTS53003: Access has been blocked by Conditional Access policies.';
    for (const errorCode of ['interaction_required', 'invalid_grant']) {
      const plain = oboFailure({ errorCode, errorNo: 53003, subError: 'message_only', errorMessage: text });
      assert.ok(plain instanceof SignInRequiredError);
      assert.equal(plain.reason, 'blocked', errorCode);
      assert.equal(claimsOf(plain), undefined);
      const withClaims = oboFailure({
        errorCode,
        errorNo: 53003,
        subError: 'message_only',
        errorMessage: text,
        claims: '{"access_token":{"capolids":{"essential":true,"values":["1"]}}}',
      });
      assert.ok(withClaims instanceof SignInRequiredError);
      assert.equal(withClaims.reason, 'blocked', `${errorCode} with claims`);
      assert.equal(claimsOf(withClaims), undefined, 'no claims challenge for a block no sign-in meets');
    }
  });

  it('gives up at its deadline when the token endpoint does not answer', async () => {
    const silent = https.createServer({ cert: tls.cert, key: tls.key }, () => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as AddressInfo).port;
      const e = await failure(exchanger(`https://127.0.0.1:${port}`, 200).exchange(sso('Megan Bowen')));
      assert.ok(e instanceof UpstreamError, String(e));
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
