// Entra's token endpoint answering a 5xx or a 429 without its OAuth error envelope (an empty body,
// `{}`, or a gateway's own JSON): Entra did not refuse anything, it did not serve. The person meets
// it as an unreachable Entra (try again in a moment), not as a sign-in that failed for a reason of
// theirs ("sign out of Teams and back in"), and the sign-in page's redemption says the same.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors
// (an OAuth refusal is an `error` in the body; temporarily_unavailable: "Retry the request after a
// small delay"), https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable.

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { MsalCodeRedeemer, RedeemError } from '../../src/auth/codeRedeemer';
import { MsalOboExchanger } from '../../src/auth/oboExchanger';
import { SignInRequiredError, UpstreamError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';

const APP = { clientId: '11111111-1111-1111-1111-111111111111', clientSecret: 's', tenantId: 'tenant' };

function ssoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'alice', tid: 'tenant' })}.sig`;
}

async function endpoint(tls: LoopbackCertificate, status: number, type: string, body: string): Promise<https.Server> {
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

describe('token endpoint: a 5xx or 429 without an OAuth error', () => {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  for (const [status, type, body] of [
    [503, 'text/plain', ''],
    [503, 'application/json', '{}'],
    [502, 'application/json', '{"message":"Bad Gateway"}'],
    [504, 'application/json', '{"status":504}'],
    [429, 'application/json', '{}'],
  ] as const) {
    it(`HTTP ${status} ${JSON.stringify(body)}: Entra is busy or unreachable, not a sign-in to mend`, async () => {
      const server = await endpoint(tls, status, type, body);
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const exchanger = new MsalOboExchanger(APP, { authorityHost: url, graphEndpoint: url, ca: tls.ca });
        const thrown = await exchanger.exchange(ssoToken()).then(
          () => assert.fail('expected a failure'),
          (e: unknown) => e,
        );
        // The sign-in flow words an UpstreamError as Entra busy or unreachable (oboExchanger.retryable.test).
        assert.ok(thrown instanceof UpstreamError, `as an unreachable Entra: ${String(thrown)}`);
        const redeemer = new MsalCodeRedeemer({ ...APP, authorityHost: url, ca: tls.ca });
        const redeemed = await redeemer
          .redeem({
            code: 'c',
            codeVerifier: 'v',
            redirectUri: 'https://bot.contoso.test/auth/end',
            scopes: ['openid'],
          })
          .then(
            () => assert.fail('expected a failure'),
            (e: unknown) => e,
          );
        assert.ok(redeemed instanceof RedeemError);
        assert.equal(redeemed.reason, 'unavailable');
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });
  }

  it('a 5xx that carries an OAuth error is still read as Entra worded it', async () => {
    const server = await endpoint(
      tls,
      500,
      'application/json',
      JSON.stringify({
        error: 'invalid_grant',
        error_description: 'AADSTS50013: Assertion failed signature validation.',
      }),
    );
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const exchanger = new MsalOboExchanger(APP, { authorityHost: url, graphEndpoint: url, ca: tls.ca });
      const thrown = await exchanger.exchange(ssoToken()).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(thrown instanceof SignInRequiredError && !(thrown instanceof UpstreamError), String(thrown));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
