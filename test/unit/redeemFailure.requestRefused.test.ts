// A code redemption that Entra's token endpoint refuses for the request or the app's registration
// (not the person, not an outage): the end page must not say the sign-in service could not be
// reached, nor to sign in again, which meets the same refusal; it says to tell an administrator.
// Authorization code flow, "Error codes for token endpoint errors": invalid_request "Protocol
// error ... Fix and resubmit the request"; invalid_scope "Update the value of the scope parameter
// in the authentication request to a valid value"; unsupported_grant_type and invalid_resource
// (the resource "hasn't been configured in the tenant"); temporarily_unavailable "Retry the request":
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors
// AADSTS9002327, a redirect URI registered as a single-page application rather than Web:
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes

import { strict as assert } from 'node:assert';
import { classifyRedeemFailure } from '../../src/auth/codeRedeemer';
import { endPage, requestRefused } from '../../src/auth/pages/html';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

describe('code redemption refused for the request or the registration', () => {
  const refusals: [string, string][] = [
    [
      'invalid_request',
      "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    ],
    ['invalid_scope', "AADSTS70011: The provided value for the input parameter 'scope' isn't valid."],
    ['invalid_resource', 'AADSTS500011: The resource principal was not found in the tenant.'],
    ['unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.'],
  ];
  for (const [errorCode, errorMessage] of refusals) {
    it(`${errorCode}: not "could not be reached"; the page says to tell an administrator`, () => {
      const reason = classifyRedeemFailure({ errorCode, errorMessage });
      assert.notEqual(reason, 'unavailable', 'Entra answered: it was reached');
      const outcome = { kind: 'failure', reason } as const;
      assert.ok(requestRefused(outcome), 'logged as an error for the operator');
      const html = endPage(outcome, PASSWORD_RESET_PAGES.global);
      assert.doesNotMatch(html, /could not be reached/);
      assert.doesNotMatch(html, /select Sign in again/);
      assert.match(html, /signing in again will not help/);
      assert.match(html, /administrator/);
      assert.doesNotMatch(html, /AADSTS|cross-origin|resource principal/, 'no Entra text on the page');
    });
  }

  it('temporarily_unavailable and server_error stay "could not be reached", to try again', () => {
    for (const errorCode of ['temporarily_unavailable', 'server_error']) {
      const reason = classifyRedeemFailure({ errorCode, errorMessage: 'AADSTS90033: A transient error has occurred.' });
      assert.equal(reason, 'unavailable');
      assert.match(
        endPage({ kind: 'failure', reason }, PASSWORD_RESET_PAGES.global),
        /could not be reached.*select Sign in again/,
      );
    }
  });

  it('a spent or expired code (invalid_grant) still says to sign in again', () => {
    const reason = classifyRedeemFailure({
      errorCode: 'invalid_grant',
      errorMessage: 'AADSTS70008: The provided authorization code or refresh token has expired.',
    });
    assert.equal(reason, 'invalid_grant');
    assert.equal(requestRefused({ kind: 'failure', reason }), false);
    assert.match(endPage({ kind: 'failure', reason }, PASSWORD_RESET_PAGES.global), /select Sign in again/);
  });
});
