// The simulated Entra refuses a seeded user's token (DemoUser.signInRefusal) on the on-behalf-of
// exchange and on the sign-in page's code redemption with Entra's own refusals, in Entra's error
// envelope, and the bot reads each through the real path (msal-node over HTTPS) for what it is:
// a device the organization must manage, cross-tenant access settings, an expired password.
// Microsoft's error reference (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes):
// AADSTS53000 DeviceNotCompliant, 53001 DeviceNotDomainJoined, 50097 DeviceAuthenticationRequired,
// 500212 NotAllowedByOutboundPolicyTenant, 500213 NotAllowedByInboundPolicyTenant, 50055
// InvalidPasswordExpiredPassword, 50144 InvalidPasswordExpiredOnPremPassword; its "Handling error
// codes" envelope (error, error_description starting "AADSTSnnnnn:", error_codes, timestamp,
// trace_id, correlation_id), also the on-behalf-of flow's error response
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example).

import { strict as assert } from 'node:assert';
import { MsalOboExchanger } from '../../src/auth/oboExchanger';
import { createReplyCards } from '../../src/bot/replyCards';
import { SignInRequiredError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { startTenantServer } from '../../src/sandbox/server';
import { loadDemoSeed } from '../../src/sandbox/seed';
import type { SeededSignInRefusal } from '../../src/sandbox/signInRefusals';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { bodyData } from '../fixtures/signInBrowser';
import { named, oauthOf, signInFlowSession } from './signInFlowSession';

const MEGAN = 'Megan Bowen';

const CASES: ReadonlyArray<{
  refusal: SeededSignInRefusal;
  code: number;
  error: string;
  obo: string;
  redeem: string;
  words: RegExp;
}> = [
  {
    refusal: 'deviceNotCompliant',
    code: 53000,
    error: 'interaction_required',
    obo: 'device',
    redeem: 'device_required',
    words: /only from a device it manages/,
  },
  {
    refusal: 'deviceNotDomainJoined',
    code: 53001,
    error: 'interaction_required',
    obo: 'device',
    redeem: 'device_required',
    words: /only from a device it manages/,
  },
  {
    refusal: 'deviceAuthenticationRequired',
    code: 50097,
    error: 'invalid_grant',
    obo: 'device',
    redeem: 'device_required',
    words: /only from a device it manages/,
  },
  {
    refusal: 'crossTenantOutbound',
    code: 500212,
    error: 'invalid_grant',
    obo: 'crossTenantOutbound',
    redeem: 'cross_tenant_outbound',
    words: /outbound cross-tenant access settings/,
  },
  {
    refusal: 'crossTenantInbound',
    code: 500213,
    error: 'invalid_grant',
    obo: 'crossTenantInbound',
    redeem: 'cross_tenant_inbound',
    words: /allow your organization, or you, in its cross-tenant access settings/,
  },
  {
    refusal: 'passwordExpired',
    code: 50055,
    error: 'invalid_grant',
    obo: 'password',
    redeem: 'password_expired',
    words: /Your password has expired\b.*Change it .*https:\/\/aka\.ms\/sspr/,
  },
  {
    refusal: 'onPremPasswordExpired',
    code: 50144,
    error: 'invalid_grant',
    obo: 'password',
    redeem: 'password_expired',
    words: /Your password has expired\b.*Change it .*https:\/\/aka\.ms\/sspr/,
  },
];

const seedWith = (refusal: SeededSignInRefusal) => {
  const seed = loadDemoSeed();
  return { ...seed, users: seed.users.map((u) => (u.displayName === MEGAN ? { ...u, signInRefusal: refusal } : u)) };
};

describe("the simulated Entra's refusals of a seeded user, read through the real path", function () {
  this.timeout(20_000);

  describe('the on-behalf-of exchange', function () {
    let tls: LoopbackCertificate;
    before(async () => {
      tls = await generateLoopbackCertificate();
    });

    for (const c of CASES) {
      it(`${c.refusal}: AADSTS${c.code} in Entra's envelope, read as ${c.obo}`, async () => {
        const seed = seedWith(c.refusal);
        const tenant = new SimulatedTenant(seed);
        const megan = seed.users.find((u) => u.displayName === MEGAN)!;
        const sso = tenant.issueSsoToken(megan.id, seed.app.clientId);
        // The envelope itself, from the one model (in process).
        const raw = tenant.handle({
          method: 'POST',
          url: `/${seed.tenantId}/oauth2/v2.0/token`,
          headers: { host: 'login.sandbox', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            client_id: seed.app.clientId,
            client_secret: seed.app.clientSecret,
            grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
            requested_token_use: 'on_behalf_of',
            scope: 'https://graph.microsoft.com/.default',
            assertion: sso,
          }).toString(),
        });
        assert.equal(raw.status, 400);
        const body = JSON.parse(raw.body ?? '{}') as Record<string, unknown>;
        assert.equal(body.error, c.error);
        assert.match(String(body.error_description), new RegExp(`^AADSTS${c.code}: `));
        assert.deepEqual(body.error_codes, [c.code]);
        for (const k of ['timestamp', 'trace_id', 'correlation_id']) assert.equal(typeof body[k], 'string', k);
        assert.equal(body.access_token, undefined);

        // The bot's exchanger over HTTPS (the model's other mount).
        const server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
        try {
          const exchanger = new MsalOboExchanger(
            { clientId: seed.app.clientId, clientSecret: seed.app.clientSecret, tenantId: seed.tenantId },
            { authorityHost: server.url, graphEndpoint: server.url, ca: tls.ca },
          );
          const thrown = await exchanger.exchange(sso).then(
            () => assert.fail('expected a refusal'),
            (e: unknown) => e,
          );
          assert.ok(thrown instanceof SignInRequiredError, String(thrown));
          assert.equal(thrown.reason, c.obo);
          const cards = createReplyCards({ cloud: 'global', examples: null });
          const words = JSON.stringify(cards.signInProblem(thrown, null, 'command').attachment.content);
          assert.match(words, c.words, words);
          assert.doesNotMatch(words, /AADSTS|sign out of Teams/, words);
        } finally {
          await server.close();
        }
      });
    }
  });

  for (const c of CASES) {
    describe(`the sign-in page's code redemption: ${c.refusal}`, function () {
      const session = signInFlowSession(() => seedWith(c.refusal));

      it(`AADSTS${c.code} at the token endpoint after the authorize step: ${c.redeem}, with its words`, async () => {
        const r = session.rigs[0]!;
        const megan = named(r, MEGAN);
        const first = await r.message(megan, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`);
        const end = await session.browser.signIn(oauthOf(first.sent).url, { userId: megan.aadObjectId });
        assert.ok(
          session.browser.visited.some((u) => new URL(u).searchParams.get('code')),
          'the authorize step gave a code',
        );
        assert.equal(bodyData(end.body, 'outcome'), 'failure', end.body);
        assert.equal(bodyData(end.body, 'reason'), c.redeem);
        const text = end.body.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
        assert.match(text, c.words);
        assert.doesNotMatch(end.body, /AADSTS|Trace ID|eyJ[A-Za-z0-9_-]{10,}/);
        assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null);
      });
    });
  }
});
