// Entra's refusals at the authorize endpoint, sent back to the end page with the state: the ones
// that only mending the app's registration or request can cure (the person cannot) are told as
// such on the page, with no "select Sign in again" that would meet the same refusal, and are
// logged as errors for the operator; the temporary ones still say to try again.
// Microsoft docs pinned here:
// - Authorization code flow, "Error codes for authorization endpoint errors": invalid_request and
//   unsupported_response_type "Fix and resubmit the request. This error is a development error";
//   unauthorized_client "usually occurs when the client application isn't registered in Microsoft
//   Entra ID or isn't added to the user's Microsoft Entra tenant"; invalid_resource "hasn't been
//   configured in the tenant"; server_error and temporarily_unavailable "Retry the request":
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-authorization-endpoint-errors
// - RFC 6749 §4.1.2.1 (invalid_scope at the authorization endpoint):
//   https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1

import { strict as assert } from 'node:assert';
import { dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';

describe("sign-in end page: Entra's authorize endpoint refusals", function () {
  const session = signInPagesSession();
  const { page } = session;

  const errorLines = () =>
    session.logLines
      .map((l) => JSON.parse(l) as { level?: string; event?: string; reason?: string; msg?: string })
      .filter((l) => l.event === 'signin.end' && l.level === 'error');

  for (const [error, description] of [
    ['unauthorized_client', 'AADSTS700016: Application with identifier was not found in the directory.'],
    ['invalid_request', "AADSTS90014: The required field 'scope' is missing."],
    ['unsupported_response_type', 'AADSTS70005: response_type is not enabled for the client.'],
    ['invalid_resource', 'AADSTS500011: The resource principal was not found in the tenant.'],
    ['invalid_scope', "AADSTS70011: The provided value for the input parameter 'scope' isn't valid."],
  ]) {
    it(`${error}: the page says an administrator must mend it, not to sign in again; the log has an error`, async () => {
      const end = await session.refusedBack(`p-${error}`, error ?? '', description ?? '');
      assert.equal(end.status, 400);
      assert.equal(dataAttr(end.body, 'outcome'), 'failure');
      assert.equal(dataAttr(end.body, 'reason'), error, 'notifyFailure tells Teams the OAuth error code');
      assert.equal(dataAttr(end.body, 'state'), null);
      assert.doesNotMatch(end.body, /select Sign in again/i, 'signing in again meets the same refusal');
      assert.match(end.body, /signing in again will not help/);
      assert.match(end.body, /administrator/);
      assert.doesNotMatch(end.body, /AADSTS|not found in the directory|isn&#39;t valid/, "Entra's text stays out");
      const lines = errorLines();
      assert.equal(lines.length, 1, 'logged once, as an error an operator sees');
      assert.equal(lines[0]?.reason, error);
      assert.match(lines[0]?.msg ?? '', /AAD_APP_CLIENT_ID/, 'the log says what to check');
      assert.deepEqual(session.signedIn, []);
    });
  }

  for (const error of ['server_error', 'temporarily_unavailable']) {
    it(`${error}: a passing condition, so the page still says to sign in again`, async () => {
      const end = await session.refusedBack(`p-${error}`, error, 'AADSTS90033: A transient error has occurred.');
      assert.equal(dataAttr(end.body, 'reason'), error);
      assert.match(end.body, /select Sign in again/);
      assert.deepEqual(errorLines(), [], 'a warning, not an error');
    });
  }

  it('a link to the end page without a state (not from Entra) still says to sign in again', async () => {
    const end = await page(`${session.base}/auth/end?code=x`);
    assert.equal(dataAttr(end.body, 'reason'), 'invalid_request');
    assert.match(end.body, /select Sign in again/);
    assert.deepEqual(errorLines(), []);
  });
});
