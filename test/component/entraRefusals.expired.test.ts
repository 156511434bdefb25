// A grant, session or password out of date, read by its number on the on-behalf-of exchange and the
// code redemption. Before the refusals were read by number, any description with "expired" in it
// was `expired` (a new interactive sign-in on the Sign in page, which Teams' silent SSO cannot give:
// it hands over the same token); these numbers must keep a reason that leads there, not "unknown"
// ("sign out of Teams"). From https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes:
// - AADSTS70008 ExpiredOrRevokedGrant "The refresh token has expired due to inactivity";
// - AADSTS70043 BadTokenDueToSignInFrequency "The refresh token has expired or is invalid due to
//   sign-in frequency checks by Conditional Access";
// - AADSTS50132 SsoArtifactInvalidOrExpired / AADSTS50133 SsoArtifactRevoked "The session isn't
//   valid due to password expiration or recent password change";
// - AADSTS50055 InvalidPasswordExpiredPassword "The user's password is expired, and therefore their
//   login or session was ended", AADSTS50144 InvalidPasswordExpiredOnPremPassword: `password`,
//   also sent to the Sign in page, with words of its own (signIn.passwordExpired.test.ts);
// - AADSTS50078 UserStrongAuthExpired "Presented multifactor authentication has expired ... You
//   must refresh your multifactor authentication": MFA, to be done again.
// The OAuth `error` here is invalid_grant, "Some of the authentication material ... was invalid,
// unparseable, missing, or otherwise unusable" (same page), which alone says nothing of the person.

import { strict as assert } from 'node:assert';
import { createReplyCards } from '../../src/bot/replyCards';
import { SignInRequiredError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { oboRefusal } from '../fixtures/entraTokenRefusal';
import { redeemRefusal } from '../fixtures/redeemRefusal';

function ssoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'alice', tid: 'tenant' })}.sig`;
}

const CASES = [
  { code: 70008, text: 'The refresh token has expired due to inactivity.', obo: 'expired', redeem: 'invalid_grant' },
  {
    code: 70043,
    text: 'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.',
    obo: 'expired',
    redeem: 'invalid_grant',
  },
  {
    code: 50132,
    text: 'The session is not valid due to password expiration or recent password change.',
    obo: 'expired',
    redeem: 'invalid_grant',
  },
  {
    code: 50133,
    text: 'Session is invalid due to expiration or recent password change.',
    obo: 'expired',
    redeem: 'invalid_grant',
  },
  { code: 50055, text: 'The password is expired.', obo: 'password', redeem: 'password_expired' },
  { code: 50144, text: "User's Active Directory password has expired.", obo: 'password', redeem: 'password_expired' },
  {
    code: 50078,
    text: 'Presented multi-factor authentication has expired due to policies configured by your administrator.',
    obo: 'mfa',
    redeem: 'interaction_required',
  },
] as const;

describe('a grant, session or password out of date: read by its number, sent to the Sign in page', function () {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  for (const c of CASES) {
    it(`AADSTS${c.code} on the exchange: ${c.obo}, and the card does not say to sign out of Teams`, async () => {
      const refusal = { status: 400, error: 'invalid_grant', code: c.code, text: c.text };
      const thrown = await oboRefusal(tls, refusal, ssoToken());
      assert.ok(thrown instanceof SignInRequiredError, String(thrown));
      assert.equal(thrown.reason, c.obo);
      const cards = createReplyCards({ cloud: 'global', examples: null });
      for (const by of ['command', 'commandAlone', 'button'] as const) {
        const words = JSON.stringify(cards.signInProblem(thrown, null, by).attachment.content);
        assert.doesNotMatch(words, /sign out of Teams/i, `${by}: ${words}`);
      }
    });

    it(`AADSTS${c.code} on the code redemption: ${c.redeem}`, async () => {
      const refusal = { status: 400, error: 'invalid_grant', code: c.code, text: c.text };
      assert.equal(await redeemRefusal(tls, refusal), c.redeem);
    });
  }
});
