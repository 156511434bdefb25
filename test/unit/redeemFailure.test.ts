// Why a code redemption failed, for the sign-in end page (src/auth/codeRedeemer.ts, pages/html.ts).
// AADSTS53003 "Access has been blocked by Conditional Access policies. The access policy does not
// allow token issuance.": https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
// Only a claims challenge says what a new sign-in could satisfy:
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-conditional-access-dev-guide

import { strict as assert } from 'node:assert';
import { classifyRedeemFailure } from '../../src/auth/codeRedeemer';
import { endPage } from '../../src/auth/pages/html';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

// As MSAL keeps Entra's answer: the first of its `error_codes` is errorNo, which decides.
const BLOCKED = {
  errorCode: 'invalid_grant',
  errorNo: 53003,
  errorMessage:
    'AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance. Trace ID: 0b7e Correlation ID: 3f2a',
};

describe('code redemption refused by Conditional Access (AADSTS53003)', () => {
  it('without a claims challenge: blocked, and the end page says to contact an administrator, not to sign in again', () => {
    const reason = classifyRedeemFailure(BLOCKED);
    assert.equal(reason, 'access_blocked');
    const html = endPage({ kind: 'failure', reason }, PASSWORD_RESET_PAGES.global);
    assert.match(html, /Conditional Access policy blocked this sign-in/);
    assert.match(html, /contact your administrator/);
    assert.doesNotMatch(html, /select Sign in again/);
    assert.doesNotMatch(html, /AADSTS|Trace ID|Correlation ID: 3f2a/, 'no Entra text on the page');
  });

  it('with a claims challenge: another sign-in step, as for MFA', () => {
    assert.equal(
      classifyRedeemFailure({ ...BLOCKED, claims: '{"access_token":{"acrs":{"essential":true}}}' }),
      'interaction_required',
    );
  });

  it('with suberror message_only: blocked, even with a claims challenge', () => {
    // message_only: "Issue cannot be resolved. Launching interactive authentication flow will show a
    // message explaining the condition."
    // https://learn.microsoft.com/en-us/dotnet/api/microsoft.identity.client.uirequiredexceptionclassification
    const claims = '{"access_token":{"capolids":{"essential":true,"values":["1"]}}}';
    for (const errorCode of ['interaction_required', 'invalid_grant']) {
      assert.equal(classifyRedeemFailure({ ...BLOCKED, errorCode, subError: 'message_only' }), 'access_blocked');
      assert.equal(
        classifyRedeemFailure({ ...BLOCKED, errorCode, subError: 'message_only', claims }),
        'access_blocked',
      );
    }
  });
});
