// The simulated tenant's Entra side, as the bot and the sandbox use it: OpenID metadata and keys, the
// delegated token of the on-behalf-of grant and its refusals as Entra words them (consent, MFA,
// expired, foreign, wrong client secret), the sandbox's SSO token, and all of it over HTTPS with a
// certificate clients can trust.

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import { generateLoopbackCertificate } from '../../src/sandbox/certs';
import { startTenantServer } from '../../src/sandbox/server';
import type { DemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { HOST, call as callTenant, oboForm } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

describe('simulated tenant', () => {
  const session = tenantSession();
  const { call } = session;
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let token: string;
  // The session's beforeEach, registered first, has made this test's tenant by now.
  beforeEach(() => {
    ({ seed, tenant, token } = session);
  });

  describe('sign-in', () => {
    it('serves OpenID metadata and keys for the tenant', () => {
      const meta = JSON.parse(
        call('GET', `/${seed.tenantId}/v2.0/.well-known/openid-configuration`, undefined, {}, null).body ?? '{}',
      ) as Record<string, string>;
      assert.equal(meta.token_endpoint, `https://${HOST}/${seed.tenantId}/oauth2/v2.0/token`);
      const keys = JSON.parse(
        call('GET', `/${seed.tenantId}/discovery/v2.0/keys`, undefined, {}, null).body ?? '{}',
      ) as { keys: unknown[] };
      assert.equal(keys.keys.length, 1);
    });

    it('issues a delegated token with the user scopes and the requested audience', () => {
      const claims = tenant.decode(token);
      assert.equal(claims.oid, seed.users[0]!.id);
      assert.equal(claims.aud, `https://${HOST}`);
      assert.ok(String(claims.scp).split(' ').includes('LifecycleWorkflows.ReadWrite.All'));
    });

    it('refuses consent-less, MFA-bound, expired, foreign and wrongly-authenticated grants like Entra', () => {
      const grant = (userIndex: number, overrides: Record<string, string> = {}, sso?: string) =>
        call(
          'POST',
          `/${seed.tenantId}/oauth2/v2.0/token`,
          oboForm(seed, sso ?? tenant.issueSsoToken(seed.users[userIndex]!.id, seed.app.clientId), overrides),
          {},
          null,
        );
      const consent = JSON.parse(grant(2).body ?? '{}') as {
        error: string;
        error_description: string;
        suberror: string;
      };
      assert.equal(consent.error, 'invalid_grant');
      assert.match(consent.error_description, /^AADSTS65001/);
      assert.equal(consent.suberror, 'consent_required');
      const mfa = JSON.parse(grant(3).body ?? '{}') as { error: string; error_description: string };
      assert.equal(mfa.error, 'interaction_required');
      assert.match(mfa.error_description, /AADSTS50076/);
      const expired = grant(0, {}, tenant.issueSsoToken(seed.users[0]!.id, seed.app.clientId, { expiresInSec: -60 }));
      assert.match(expired.body ?? '', /AADSTS500133/);
      const wrongAud = grant(0, {}, tenant.issueSsoToken(seed.users[0]!.id, '11111111-1111-1111-1111-111111111111'));
      assert.equal(wrongAud.status, 400);
      const secret = grant(0, { client_secret: 'nope' });
      assert.equal(secret.status, 401);
      assert.match(secret.body ?? '', /AADSTS7000215/);
    });

    it('answers a Conditional Access block (AADSTS53003) on the on-behalf-of grant as Entra does', () => {
      // The token endpoint answers a Conditional Access policy as interaction_required
      // (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example);
      // a block no sign-in can meet carries suberror message_only ("cannot be resolved; interactive
      // authentication will show a message",
      // https://learn.microsoft.com/en-us/dotnet/api/microsoft.identity.client.uirequiredexceptionclassification)
      // and no claims challenge. AADSTS53003:
      // https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
      const blockedSeed = { ...seed, users: seed.users.map((u, i) => (i === 0 ? { ...u, accessBlocked: true } : u)) };
      const blocked = new SimulatedTenant(blockedSeed);
      const sso = blocked.issueSsoToken(blockedSeed.users[0]!.id, seed.app.clientId);
      const r = callTenant(blocked, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, { body: oboForm(blockedSeed, sso) });
      assert.equal(r.status, 400);
      const body = JSON.parse(r.body ?? '{}') as Record<string, unknown>;
      assert.equal(body.error, 'interaction_required');
      assert.equal(body.suberror, 'message_only');
      assert.match(
        String(body.error_description),
        /^AADSTS53003: Access has been blocked by Conditional Access policies/,
      );
      assert.deepEqual(body.error_codes, [53003]);
      assert.equal(body.claims, undefined, 'no claims challenge: no sign-in can meet the policy');
      assert.equal(body.access_token, undefined);
    });

    it('hands the sandbox an SSO token for a known user only', () => {
      const ok = call(
        'POST',
        '/_sandbox/ssoToken',
        { aadObjectId: seed.users[0]!.id, clientId: seed.app.clientId },
        {},
        null,
      );
      assert.equal(ok.status, 200);
      assert.equal(
        call('POST', '/_sandbox/ssoToken', { aadObjectId: '00000000-0000-0000-0000-000000000000' }, {}, null).status,
        404,
      );
    });
  });

  it('serves the same model over HTTPS with a certificate clients can trust', async () => {
    const tls = await generateLoopbackCertificate();
    const server = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        https
          .get(`${server.url}/${seed.tenantId}/v2.0/.well-known/openid-configuration`, { ca: tls.ca }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
      assert.equal(status, 200);
    } finally {
      await server.close();
    }
  });
});
