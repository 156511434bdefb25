// Entra's refusals are read by their number, `error_codes` (MSAL's errorNo), in both of the bot's
// calls to the token endpoint: the on-behalf-of exchange and the sign-in page's code redemption.
// Microsoft's error reference says of `error_description`: "A specific error message that can help
// a developer identify the root cause of an authentication error. Never use this field to react to
// an error in your code"; its words change and may come in the person's language. Here the number
// is right and the description's words are not the ones a text matcher looks for: the reading must
// not change.
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application

import { strict as assert } from 'node:assert';
import { oboFailure } from '../../src/auth/oboExchanger';
import { endPage } from '../../src/auth/pages/html';
import { SignInRequiredError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { oboRefusal } from '../fixtures/entraTokenRefusal';
import { redeemRefusal } from '../fixtures/redeemRefusal';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

function ssoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'alice', tid: 'tenant' })}.sig`;
}

// Descriptions in another language, with no AADSTS number in them.
const CASES = [
  {
    code: 65001,
    error: 'invalid_grant',
    description: 'Der Benutzer oder Administrator hat der Verwendung der Anwendung nicht zugestimmt.',
    obo: 'consent',
    redeem: 'consent_required',
  },
  {
    code: 90094,
    error: 'invalid_grant',
    description: 'Die App benötigt Berechtigungen, die nur ein Administrator erteilen kann.',
    obo: 'consent',
    redeem: 'admin_consent_required',
  },
  {
    code: 50105,
    error: 'invalid_grant',
    description: 'Der angemeldete Benutzer ist keiner Rolle für die App zugewiesen.',
    obo: 'notAssigned',
    redeem: 'not_assigned',
  },
  {
    code: 53003,
    error: 'invalid_grant',
    description: 'Der Zugriff wurde durch Richtlinien für bedingten Zugriff blockiert.',
    obo: 'blocked',
    redeem: 'access_blocked',
  },
] as const;

describe("Entra's refusals read by their number, whatever the description says", function () {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  for (const c of CASES) {
    it(`AADSTS${c.code} with other words: the exchange reads ${c.obo}`, async () => {
      const thrown = await oboRefusal(
        tls,
        { status: 400, error: c.error, code: c.code, text: '', description: c.description },
        ssoToken(),
      );
      assert.ok(thrown instanceof SignInRequiredError, String(thrown));
      assert.equal(thrown.reason, c.obo);
    });

    it(`AADSTS${c.code} with other words: the code redemption reads ${c.redeem}`, async () => {
      const reason = await redeemRefusal(tls, {
        status: 400,
        error: c.error,
        code: c.code,
        text: '',
        description: c.description,
      });
      assert.equal(reason, c.redeem);
      assert.doesNotMatch(
        endPage({ kind: 'failure', reason }, PASSWORD_RESET_PAGES.global),
        /Sign-in did not complete|could not be reached/,
      );
    });
  }

  it('the number wins over a description that names another code', () => {
    // MSAL keeps Entra's first error code as errorNo; the description is the fallback only.
    const thrown = oboFailure({
      errorCode: 'invalid_grant',
      errorNo: 50034,
      errorMessage: 'AADSTS65001: The user or administrator has not consented to use the application.',
    });
    assert.ok(thrown instanceof SignInRequiredError);
    assert.equal(thrown.reason, 'notInDirectory');
  });
});
