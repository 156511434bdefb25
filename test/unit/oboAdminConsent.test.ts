// Consent that only an administrator can grant, refused in the on-behalf-of exchange itself: Entra's
// AADSTS90093 "requesting one or more permissions that you aren't authorized to grant", AADSTS90094
// "needs permission to access resources in your organization that only an admin can grant",
// AADSTS90095 (the admin consent workflow) and AADSTS900941 (admin consent required, a risky app).
// https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/app-integration/application-sign-in-unexpected-user-consent-error
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
// They are consent refusals: the person is told that consent is missing and that an administrator
// can grant it, never to sign out of Teams, which does not change what the tenant lets them grant.

import { strict as assert } from 'node:assert';
import { oboFailure } from '../../src/auth/oboExchanger';
import { SignInRequiredError } from '../../src/domain/errors';
import { signInNext } from '../../src/cards/signInWording';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

/** Entra's answer as MSAL keeps it: the number of `error_codes` is errorNo. */
const refused = (errorCode: string, errorMessage: string) => ({
  errorCode,
  errorNo: Number(/^AADSTS(\d+)/.exec(errorMessage)?.[1]),
  errorMessage,
});

describe('the on-behalf-of exchange refused for consent only an administrator can grant', () => {
  const refusals = [
    'AADSTS90093: Graph is requesting one or more permissions that you are not authorized to grant.',
    'AADSTS90094: The grant requires admin permission.',
    'AADSTS90095: Admin consent is required for the permissions requested by this application.',
    'AADSTS900941: Administrator consent is required. App is considered risky.',
  ];

  it('reads each as missing consent, whichever OAuth error comes with it', () => {
    for (const errorMessage of refusals) {
      for (const errorCode of ['invalid_grant', 'consent_required', 'interaction_required']) {
        const e = oboFailure(refused(errorCode, errorMessage));
        assert.ok(e instanceof SignInRequiredError);
        assert.equal(e.reason, 'consent', `${errorCode} ${errorMessage}`);
      }
    }
  });

  it('tells the person an administrator can grant it, not to sign out of Teams', () => {
    for (const errorMessage of refusals) {
      const e = oboFailure(refused('invalid_grant', errorMessage)) as SignInRequiredError;
      for (const by of ['command', 'commandAlone', 'button'] as const) {
        const words = signInNext(e, by, PASSWORD_RESET_PAGES.global);
        assert.match(words, /administrator to grant admin consent/, `${by}: ${words}`);
        assert.doesNotMatch(words, /sign out of Teams/, `${by}: ${words}`);
      }
    }
  });
});
