// Entra refusing the app's own credentials when the end page redeems the code (AADSTS7000215 wrong
// client secret, AADSTS7000222 expired secret: error "invalid_client",
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes) is the
// administrator's to mend: the page must not send the person to "select Sign in again", which
// meets the same refusal, and the log names what to check, as the on-behalf-of exchange's does.

import { strict as assert } from 'node:assert';
import { MEGAN, TENANT, dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';

describe('sign-in end page: Entra refuses the app’s own credentials', function () {
  const session = signInPagesSession();
  const { signIn } = session;

  it('says signing in again will not help and to tell an administrator; the log is an error naming what to check', async () => {
    const { authority, pages, pending, signedIn, logLines } = session;
    authority.refuseClientSecret = true;
    pending.set('p-cred', { aadObjectId: MEGAN, tenantId: TENANT });
    const { end } = await signIn(pages.signInUrl('p-cred'), MEGAN);
    assert.equal(signedIn.length, 0);
    assert.equal(dataAttr(end.body, 'reason'), 'invalid_client');
    assert.doesNotMatch(end.body, /select Sign in again/);
    assert.match(end.body, /administrator/);
    const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'signin.end');
    assert.equal(line?.level, 'error', 'logged as an error');
    assert.match(String(line?.msg), /AAD_APP_CLIENT_SECRET/);
  });
});
