// Which failed sign-ins the sign-in page can mend, so the command waits and the card's Sign in opens
// the page: consent (prompt=consent), MFA (the claims challenge) and an expired or revoked grant
// (AADSTS50173, 700082, 500133: "a fresh auth token is needed",
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes). Teams' silent SSO
// hands over the same cached token, so for an expired grant "send the command again" fails the same
// way; the page's interactive sign-in does not. The bot's own credentials refused, or a Conditional
// Access block with no claims challenge, no sign-in can mend: those get words, not a page.

import { strict as assert } from 'node:assert';
import { oauthCard } from '../../src/auth/oauthCard';
import { pageReason } from '../../src/auth/sso';
import { SignInRequiredError } from '../../src/domain/errors';

describe('sign-in failures the sign-in page can mend', () => {
  it('consent, MFA and an expired grant go to the page; the app credentials and a plain block do not', () => {
    const reasonOf = (r: SignInRequiredError['reason']) => pageReason(new SignInRequiredError('x', r));
    assert.equal(reasonOf('consent'), 'consent');
    assert.equal(reasonOf('mfa'), 'mfa');
    assert.equal(reasonOf('expired'), 'expired');
    assert.equal(reasonOf('configuration'), undefined);
    assert.equal(reasonOf('blocked'), undefined);
    assert.equal(reasonOf('unknown'), undefined);
  });

  it('the Sign in card for an expired grant says why and what to select', () => {
    const card = JSON.stringify(oauthCard('id-1', null, 'https://bot.contoso.com/auth/start?s=id-1', 'expired'));
    assert.match(card, /expired or was revoked\. Select Sign in to sign in again/);
  });
});
