// AADSTS50105: the app requires people to be assigned to it ("Assignment required") and the person
// is not. No sign-in by them mends it; only an administrator can assign them (or a group they are
// in). So the on-behalf-of exchange's refusal, which Entra sends as invalid_grant, must not read as
// `unknown` ("sign in again", "sign out of Teams and back in"), and the end page, when Entra sends
// it back from its authorize endpoint or its token endpoint refuses the code for it, says to ask an
// administrator instead of "select Sign in again".
// Microsoft docs pinned here:
// - Error codes: "AADSTS50105 EntitlementGrantsNotFound - The signed in user isn't assigned to a
//   role for the signed in app. Assign the user to the app":
//   https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
// - Troubleshooting AADSTS50105 ("Assignment required" is on; an administrator assigns the user or
//   a group to the app):
//   https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50105-user-not-assigned-role

import { strict as assert } from 'node:assert';
import { classifyRedeemFailure } from '../../src/auth/codeRedeemer';
import { createReplyCards } from '../../src/bot/replyCards';
import { SignInRequiredError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { oboRefusal } from '../fixtures/entraTokenRefusal';
import { MEGAN, TENANT, dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';

const NOT_ASSIGNED_TEXT =
  "Your administrator has configured the application Governance Bot ('11111111-1111-1111-1111-111111111111') to block users unless they are specifically granted ('assigned') access to the application. The signed in user 'megan@contoso.com' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.";
const NOT_ASSIGNED = `AADSTS50105: ${NOT_ASSIGNED_TEXT}`;

function ssoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'alice', tid: 'tenant' })}.sig`;
}

describe('AADSTS50105, the person not assigned to the app: ask an administrator', function () {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  // Entra sends it as invalid_grant; with another `error` (interaction_required, as its authorize
  // endpoint may, or one that otherwise refuses the app's registration) the AADSTS number still
  // names the cause: no sign-in (nor MFA) by the person mends it, an assignment does.
  for (const error of ['invalid_grant', 'interaction_required', 'unauthorized_client']) {
    it(`the on-behalf-of refusal (${error}) reads as notAssigned; the card says to ask an administrator`, async () => {
      const thrown = await oboRefusal(tls, { status: 400, error, code: 50105, text: NOT_ASSIGNED_TEXT }, ssoToken());
      assert.ok(thrown instanceof SignInRequiredError, String(thrown));
      assert.equal(thrown.reason, 'notAssigned');
      const cards = createReplyCards({ cloud: 'global', examples: null });
      for (const by of ['command', 'commandAlone', 'button'] as const) {
        const words = JSON.stringify(cards.signInProblem(thrown, null, by).attachment.content);
        assert.match(words, /administrator to assign you/, `${by}: ${words}`);
        assert.match(words, /signing in again will not help/, by);
        assert.doesNotMatch(words, /sign out of Teams|Select Sign in|Press the button again/i, by);
        assert.doesNotMatch(words, /AADSTS|megan@/, 'no Entra text');
      }
    });
  }

  it('the code redemption refused for it reads as not_assigned', () => {
    assert.equal(
      classifyRedeemFailure({ errorCode: 'invalid_grant', errorNo: 50105, errorMessage: NOT_ASSIGNED }),
      'not_assigned',
    );
    // AADSTS501051 is another code (an application not assigned to a role), not this one.
    assert.equal(
      classifyRedeemFailure({
        errorCode: 'invalid_grant',
        errorNo: 501051,
        errorMessage: 'AADSTS501051: Application is not assigned',
      }),
      'invalid_grant',
    );
  });

  describe('the end page', () => {
    const session = signInPagesSession();

    for (const error of ['access_denied', 'interaction_required']) {
      it(`${error} with AADSTS50105 from the authorize endpoint: ask an administrator to assign you`, async () => {
        const end = await session.refusedBack(`p-${error}`, error, NOT_ASSIGNED);
        assert.equal(dataAttr(end.body, 'reason'), 'not_assigned');
        assert.match(end.body, /administrator to assign you/);
        assert.match(end.body, /signing in again will not help/);
        assert.doesNotMatch(end.body, /select Sign in again|AADSTS|megan@/i);
        assert.deepEqual(session.signedIn, []);
      });
    }

    it('the token endpoint refusing the code for it: the same words', async () => {
      session.pending.set('p-code', { aadObjectId: MEGAN, tenantId: TENANT });
      session.authority.nextTokenError = { error: 'invalid_grant', code: 50105, text: NOT_ASSIGNED_TEXT };
      const { end } = await session.signIn(session.pages.signInUrl('p-code'), MEGAN);
      assert.equal(dataAttr(end.body, 'reason'), 'not_assigned');
      assert.match(end.body, /administrator to assign you/);
    });
  });
});
