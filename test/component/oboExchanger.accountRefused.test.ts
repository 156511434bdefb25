// Entra refusing the on-behalf-of exchange for the person's account, or for the Teams token itself,
// in a way no sign-in to Teams mends (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes):
// - AADSTS50034 UserAccountNotFound "To sign into this application, the account must be added to
//   the directory ... If this user should be able to log in, add them as a guest";
// - AADSTS50020 UserUnauthorized "This account needs to be added as an external user in the tenant
//   first";
// - AADSTS50057 UserDisabled "The user account is disabled ... An admin can re-enable this account";
// - AADSTS50013 InvalidAssertion "Assertion is invalid ... Contact the app developer": the Teams
//   token is not one Entra takes for this app; the sign-in page, which needs none, still signs in.
// Each must say what is wrong and who can mend it, never "sign out of Teams and back in". The number
// is Entra's `error_codes` (MSAL's errorNo); the same page says of `error_description`: "Never use
// this field to react to an error in your code".

import { strict as assert } from 'node:assert';
import { oboFailure } from '../../src/auth/oboExchanger';
import { createReplyCards } from '../../src/bot/replyCards';
import { SignInRequiredError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { oboRefusal } from '../fixtures/entraTokenRefusal';

function ssoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'alice', tid: 'tenant' })}.sig`;
}

const CASES = [
  {
    code: 50034,
    text: 'The user account {EUII Hidden} does not exist in the 22222222-2222-2222-2222-222222222222 directory. To sign into this application, the account must be added to the directory.',
    reason: 'notInDirectory',
    words: /not in the Microsoft Entra directory .*administrator to add you/,
  },
  {
    code: 50020,
    text: "User account 'guest@fabrikam.com' from identity provider 'https://sts.windows.net/33333333-3333-3333-3333-333333333333/' does not exist in tenant 'Contoso' and cannot access the application.",
    reason: 'notInDirectory',
    words: /not in the Microsoft Entra directory .*administrator to add you/,
  },
  {
    code: 50057,
    text: 'The user account is disabled.',
    reason: 'accountDisabled',
    words: /Your account is disabled .*administrator to enable it/,
  },
  {
    code: 50013,
    text: 'Assertion failed signature validation.',
    reason: 'ssoRejected',
    words: /did not accept the sign-in Teams gave .*single sign-on .*tell your Teams or Entra administrator/,
  },
] as const;

describe("the on-behalf-of exchange refused for the person's account or the Teams token", function () {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  for (const c of CASES) {
    it(`AADSTS${c.code} reads as ${c.reason}; the card says who can mend it, not to sign out of Teams`, async () => {
      const thrown = await oboRefusal(
        tls,
        { status: 400, error: 'invalid_grant', code: c.code, text: c.text },
        ssoToken(),
      );
      assert.ok(thrown instanceof SignInRequiredError, String(thrown));
      assert.equal(thrown.reason, c.reason);
      const cards = createReplyCards({ cloud: 'global', examples: null });
      for (const by of ['command', 'commandAlone', 'button'] as const) {
        const words = JSON.stringify(cards.signInProblem(thrown, null, by).attachment.content);
        assert.match(words, c.words, `${by}: ${words}`);
        assert.doesNotMatch(words, /sign out of Teams and back in|If it keeps failing/, `${by}: ${words}`);
        assert.doesNotMatch(words, /AADSTS|guest@|EUII/, 'no Entra text');
      }
    });
  }

  it('the Sign in page stays the way in for a Teams token Entra does not take (AADSTS50013)', async () => {
    const c = CASES[3];
    const thrown = await oboRefusal(
      tls,
      { status: 400, error: 'invalid_grant', code: c.code, text: c.text },
      ssoToken(),
    );
    assert.ok(thrown instanceof SignInRequiredError);
    const cards = createReplyCards({ cloud: 'global', examples: null });
    const words = (by: 'command' | 'commandAlone' | 'button') =>
      JSON.stringify(cards.signInProblem(thrown, null, by).attachment.content);
    assert.match(words('command'), /Select Sign in on the sign-in card/);
    assert.match(words('commandAlone'), /Send the command again and select Sign in/);
    assert.match(words('button'), /Press the button again and select Sign in/);
  });

  it("reads the number from Entra's error_codes (MSAL's errorNo), not from the description", () => {
    // The description names another number: the envelope's error_codes decide.
    const byNumber = oboFailure({
      errorCode: 'invalid_grant',
      errorNo: '50034',
      errorMessage: 'Error(s): 50034 - Description: the account must be added to the directory.',
    });
    assert.ok(byNumber instanceof SignInRequiredError);
    assert.equal(byNumber.reason, 'notInDirectory');
    assert.equal(
      (oboFailure({ errorCode: 'invalid_grant', errorNo: 50057 }) as SignInRequiredError).reason,
      'accountDisabled',
    );
    // The same words with no number in error_codes stay unknown: the description is never read for them.
    const byText = oboFailure({
      errorCode: 'invalid_grant',
      errorMessage: 'AADSTS50034: The user account does not exist in the directory.',
    });
    assert.ok(byText instanceof SignInRequiredError);
    assert.equal(byText.reason, 'unknown');
    // Another number than these, whatever the description says, is not one of them.
    const other = oboFailure({
      errorCode: 'invalid_grant',
      errorNo: '500341',
      errorMessage: 'AADSTS50034: The user account does not exist in the directory.',
    });
    assert.equal((other as SignInRequiredError).reason, 'unknown');
  });
});
