// Entra's token endpoint refusing the on-behalf-of request for the app's registration rather than
// for the person: `invalid_client` ("The client credentials aren't valid. To fix, the Application
// Administrator updates the credentials"), `unauthorized_client` ("the client application isn't
// registered in Microsoft Entra ID or isn't added to the user's Microsoft Entra tenant"),
// `invalid_scope` (AADSTS70011, "Update the value of the scope parameter"), `invalid_resource`
// (AADSTS500011, "the resource ... hasn't been configured in the tenant") and
// `unsupported_grant_type`, whatever AADSTS number comes with them
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors,
// which the on-behalf-of flow shares:
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow; and
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application,
// which says to react to `error`, never to the description's numbers). No sign-in by the person
// mends them: the card says to tell an administrator, never to sign out of Teams and back in.

import { strict as assert } from 'node:assert';
import { createReplyCards } from '../../src/bot/replyCards';
import { SignInRequiredError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { oboRefusal } from '../fixtures/entraTokenRefusal';

/** An SSO token as Teams sends it (only Entra reads it here). */
function ssoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'alice', tid: 'tenant' })}.sig`;
}

describe('on-behalf-of exchange: Entra refuses the app’s registration, not the person', () => {
  let tls: LoopbackCertificate;

  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  for (const [status, error, code, text] of [
    [400, 'invalid_scope', 70011, "The provided value for the input parameter 'scope' isn't valid."],
    [400, 'invalid_resource', 500011, "The resource principal named https://graph.microsoft.com wasn't found."],
    [
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ],
    [400, 'unauthorized_client', 7000112, 'Application is disabled.'],
    [400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'],
  ] as const) {
    it(`${error} (AADSTS${code}): tell an administrator`, async () => {
      const thrown = await oboRefusal(tls, { status, error, code, text }, ssoToken());
      assert.ok(thrown instanceof SignInRequiredError, String(thrown));
      assert.equal(thrown.reason, 'configuration');

      const cards = createReplyCards({ cloud: 'global', examples: null });
      for (const by of ['command', 'commandAlone', 'button'] as const) {
        const words = JSON.stringify(cards.signInProblem(thrown, null, by).attachment.content);
        assert.match(words, /administrator/, `${by}: ${words}`);
        assert.doesNotMatch(words, /sign out of Teams/i, by);
        assert.doesNotMatch(words, /AADSTS|eyJ/, 'no Entra text or token');
      }
    });
  }

  it('a refusal of the person’s assertion (invalid_grant) still asks them to sign in', async () => {
    const thrown = await oboRefusal(
      tls,
      {
        status: 400,
        error: 'invalid_grant',
        code: 50173,
        text: 'The provided grant has expired due to it being revoked, and a fresh auth token is needed.',
      },
      ssoToken(),
    );
    assert.ok(thrown instanceof SignInRequiredError, String(thrown));
    assert.equal(thrown.reason, 'expired');
  });
});
