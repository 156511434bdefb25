// MSAL sets errorNo from Entra's `error_codes` on every ServerError and InteractionRequiredAuthError
// its token response check throws (msal-common ResponseHandler.validateTokenResponse); the token
// endpoint sends `error_codes` with every refusal
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example).
// An answer without it (MSAL's errorNo unset) is still read by its OAuth `error` and suberror, which
// "should be used to react to errors"
// (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application),
// never by the description's AADSTS number.

import { strict as assert } from 'node:assert';
import { SignInRequiredError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { oboRefusal } from '../fixtures/entraTokenRefusal';
import { redeemRefusal } from '../fixtures/redeemRefusal';

function ssoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'alice', tid: 'tenant' })}.sig`;
}

const CASES = [
  {
    error: 'interaction_required',
    code: 50076,
    text: 'Use multi-factor authentication.',
    obo: 'mfa',
    redeem: 'interaction_required',
  },
  {
    error: 'invalid_grant',
    suberror: 'consent_required',
    code: 65001,
    text: 'Not consented.',
    obo: 'consent',
    redeem: 'consent_required',
  },
  {
    error: 'invalid_client',
    code: 7000215,
    text: 'Invalid client secret provided.',
    obo: 'configuration',
    redeem: 'invalid_client',
  },
  { error: 'invalid_grant', code: 50105, text: 'Not assigned.', obo: 'unknown', redeem: 'invalid_grant' },
] as const;

describe('a refusal without error_codes: read by its OAuth error', function () {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  for (const c of CASES) {
    const refusal = { status: 400, noErrorCodes: true, ...c };
    it(`${c.error}${'suberror' in c ? `/${c.suberror}` : ''} with no number: ${c.obo} on the exchange, ${c.redeem} on the redemption`, async () => {
      const thrown = await oboRefusal(tls, refusal, ssoToken());
      assert.ok(thrown instanceof SignInRequiredError, String(thrown));
      assert.equal(thrown.reason, c.obo);
      assert.equal(await redeemRefusal(tls, refusal), c.redeem);
    });
  }
});
