// When Microsoft Entra refuses Governance Bot's own credentials in the on-behalf-of exchange (a
// wrong or expired client secret, an app id the tenant does not know), signing in again cannot
// help: the person is told to reach an administrator instead of "Select Sign in".
// Entra's codes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
// (AADSTS7000215 "Invalid client secret is provided", AADSTS7000222 "The provided client secret
// keys are expired", AADSTS700016 "Application with identifier ... wasn't found in the directory").

import { strict as assert } from 'node:assert';
import { classifySignInFailure } from '../../src/auth/tokens';
import { explain } from '../../src/cards/wording';
import { CATALOG } from '../../src/domain/operations';
import { SignInRequiredError } from '../../src/domain/errors';

describe("sign-in refused for the app's own credentials", () => {
  it('reads an invalid, expired or unknown app credential as a configuration fault', () => {
    for (const text of [
      'invalid_client: AADSTS7000215: Invalid client secret provided.',
      'invalid_client: AADSTS7000222: The provided client secret keys for app are expired.',
      "unauthorized_client: AADSTS700016: Application with identifier 'x' was not found in the directory.",
    ]) {
      assert.equal(classifySignInFailure(text), 'configuration', text);
    }
    assert.equal(classifySignInFailure('invalid_grant: AADSTS65001: not consented'), 'consent');
  });

  it('tells the person to reach an administrator, not to sign in again', () => {
    const words = explain(
      new SignInRequiredError('Sign-in did not complete (configuration).', 'configuration'),
      CATALOG.cancelRoleRequest,
    );
    assert.match(words.next, /administrator/);
    assert.doesNotMatch(words.next, /Select Sign in/);
  });
});
