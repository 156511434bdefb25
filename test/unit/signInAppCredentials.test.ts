// When Microsoft Entra refuses Governance Bot's own credentials in the on-behalf-of exchange (a
// wrong or expired client secret, an app id the tenant does not know), signing in again cannot
// help: the person is told to reach an administrator instead of "Select Sign in".
// Entra's codes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
// (AADSTS7000215 "Invalid client secret is provided", AADSTS7000222 "The provided client secret
// keys are expired", AADSTS700016 "Application with identifier ... wasn't found in the directory").

import { strict as assert } from 'node:assert';
import { ServerError } from '@azure/msal-node';
import { classifyRedeemFailure } from '../../src/auth/codeRedeemer';
import { oboFailure } from '../../src/auth/oboExchanger';
import { explain } from '../../src/cards/wording';
import { CATALOG } from '../../src/domain/operations';
import { SignInRequiredError } from '../../src/domain/errors';

describe("sign-in refused for the app's own credentials", () => {
  it('reads an invalid, expired or unknown app credential as a configuration fault', () => {
    // MSAL's errors as it builds them from Entra's answer: errorNo is the first of `error_codes`.
    for (const [error, code, text] of [
      ['invalid_client', '7000215', 'AADSTS7000215: Invalid client secret provided.'],
      ['invalid_client', '7000222', 'AADSTS7000222: The provided client secret keys for app are expired.'],
      [
        'unauthorized_client',
        '700016',
        "AADSTS700016: Application with identifier 'x' was not found in the directory.",
      ],
    ] as const) {
      const refused = new ServerError(error, '', text, '', code);
      assert.equal((oboFailure(refused) as SignInRequiredError).reason, 'configuration', text);
      assert.equal(classifyRedeemFailure(refused), 'invalid_client', text);
    }
    const consent = new ServerError('invalid_grant', '', 'AADSTS65001: not consented', '', '65001');
    assert.equal((oboFailure(consent) as SignInRequiredError).reason, 'consent');
    assert.equal(classifyRedeemFailure(consent), 'consent_required');
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
