// Which failed sign-ins the sign-in page can mend, so the command waits and the card's Sign in opens
// the page: consent (prompt=consent), MFA (the claims challenge) and an expired or revoked grant
// (AADSTS50173, 700082, 500133: "a fresh auth token is needed",
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes). Teams' silent SSO
// hands over the same cached token, so for an expired grant "send the command again" fails the same
// way; the page's interactive sign-in does not. The bot's own credentials refused, or a Conditional
// Access block with no claims challenge, no sign-in can mend: those get words, not a page.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InteractionRequiredAuthError } from '@azure/msal-node';
import { oauthCard } from '../../src/auth/oauthCard';
import { oboFailure } from '../../src/auth/oboExchanger';
import { SignInFlow, pageReason } from '../../src/auth/sso';
import { UserTokenCache, claimsOf } from '../../src/auth/tokens';
import { SignInRequiredError } from '../../src/domain/errors';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

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
    const card = JSON.stringify(
      oauthCard('id-1', null, 'https://bot.contoso.com/auth/start?s=id-1', {
        reason: 'expired',
        resetPage: PASSWORD_RESET_PAGES.global,
      }),
    );
    assert.match(card, /expired or was revoked\. Select Sign in to sign in again/);
  });
});

// AADSTS53000 / 53001 / 50097 (a device the organization manages) with Entra's claims challenge:
// the Sign in link carries the challenge to the start page, which sends it on the authorize
// request, as for MFA, so Entra asks for the device it needs
// (https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge).
describe('a managed device asked for with a claims challenge', () => {
  it("the Sign in link carries Entra's claims challenge, as for MFA", async () => {
    const claims = '{"access_token":{"capolids":{"essential":true,"values":["c1"]}}}';
    const refused = new InteractionRequiredAuthError(
      'interaction_required',
      '',
      'AADSTS53000: Device is not in required device state: compliant.',
      'basic_action',
      '',
      '',
      claims,
      '53000',
    );
    const error = oboFailure(refused);
    assert.ok(error instanceof SignInRequiredError && error.reason === 'device', String(error));
    assert.equal(claimsOf(error), claims);
    assert.equal(pageReason(error), 'mfa');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-device-'));
    const state = new SqliteState(path.join(dir, 'state.db'));
    try {
      const links: [string | undefined, string | undefined][] = [];
      const flow = new SignInFlow<string>({
        exchanger: { exchange: () => Promise.reject(new Error('no exchange here')) },
        cache: new UserTokenCache(),
        pending: new PendingSignIns<string>(state.records),
        resourceUri: null,
        passwordResetPage: PASSWORD_RESET_PAGES.global,
        signInUrl: (id, reason, c) => {
          links.push([reason, c]);
          return `https://bot.contoso.test/auth/start?s=${id}`;
        },
      });
      const card = flow.cardForUnnotedFailure('id-1', error);
      assert.ok(card);
      assert.deepEqual(links, [['mfa', claims]]);
      // The card's words say what is missing, as the problem card does: a managed device, not MFA.
      const text = (card.content as { text: string }).text;
      assert.doesNotMatch(text, /multi-factor/);
      assert.match(text, /only from a device it manages.*administrator how to enroll this one/);
    } finally {
      await state.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
