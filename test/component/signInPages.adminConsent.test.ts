// Permissions that only an administrator can grant: Entra's "Need admin approval" (AADSTS90094 and
// the like) sent back to the end page, whatever OAuth `error` comes with it, or a code redemption
// refused for it. The chat card already says an administrator must consent; the end page must say
// so too, not "Permission was not granted ... select Sign in again", which meets the same refusal.
// A person who merely declined consent (AADSTS65004) is still told to sign in again.
// Microsoft docs pinned here:
// - "AADSTS90094: clientAppDisplayName needs permission to access resources in your organization
//   that only an admin can grant. Ask an admin to grant permission to this app before you can use
//   it"; AADSTS90093 likewise ("permissions that you aren't authorized to grant"):
//   https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/app-integration/application-sign-in-unexpected-user-consent-error
// - Error codes (AADSTS90094 AdminConsentRequired, AADSTS90095, AADSTS900941, AADSTS65004):
//   https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
// - Granting tenant-wide admin consent: https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/grant-admin-consent

import { strict as assert } from 'node:assert';
import { MEGAN, TENANT, dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';

const ADMIN_ONLY =
  'AADSTS90094: Governance Bot needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.';

describe('sign-in end page: consent only an administrator can grant', function () {
  const session = signInPagesSession();

  function saysAdminConsent(body: string): void {
    assert.equal(dataAttr(body, 'reason'), 'admin_consent_required');
    assert.match(body, /only an administrator of your organization can grant/);
    assert.match(body, /grant admin consent to Governance Bot/);
    assert.match(body, /signing in again will not help until one does/);
    assert.doesNotMatch(body, /AADSTS|Permission for Governance Bot was not granted/);
  }

  for (const [error, description] of [
    ['access_denied', ADMIN_ONLY],
    ['consent_required', ADMIN_ONLY],
    ['access_denied', 'AADSTS90093: Governance Bot is requesting permissions that you are not authorized to grant.'],
    ['access_denied', 'AADSTS900941: Administrator consent is required. App is considered risky.'],
  ] as const) {
    it(`${error} with ${description.split(':')[0]} from the authorize endpoint: an administrator must consent`, async () => {
      const end = await session.refusedBack(`p-${error}-${description.slice(6, 12)}`, error, description);
      assert.equal(end.status, 400);
      saysAdminConsent(end.body);
      assert.deepEqual(session.signedIn, []);
    });
  }

  it('a person who declined consent (AADSTS65004) is still told to sign in again', async () => {
    const end = await session.refusedBack(
      'p-declined',
      'access_denied',
      'AADSTS65004: User declined to consent to access the app.',
    );
    assert.equal(dataAttr(end.body, 'reason'), 'access_denied');
    assert.match(end.body, /select Sign in again/);
  });

  it('the token endpoint refusing the code for it: the same words', async () => {
    session.pending.set('p-code', { aadObjectId: MEGAN, tenantId: TENANT });
    session.authority.nextTokenError = { error: 'invalid_grant', code: 90094, text: ADMIN_ONLY.slice(13) };
    const { end } = await session.signIn(session.pages.signInUrl('p-code'), MEGAN);
    saysAdminConsent(end.body);
  });
});
