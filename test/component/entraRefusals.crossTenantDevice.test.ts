// Refusals no sign-in to Teams mends, told for what they are, on the chat card (on-behalf-of
// exchange), on the sign-in page after its code redemption and after the authorize endpoint's
// redirect. Microsoft's error reference
// (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes):
// - AADSTS500212 NotAllowedByOutboundPolicyTenant "The user's administrator has set an outbound
//   access policy that doesn't allow access to the resource tenant"; AADSTS500213
//   NotAllowedByInboundPolicyTenant "The resource tenant's cross-tenant access policy doesn't allow
//   this user to access this tenant". Outbound settings "control whether your users can access
//   resources in an external organization", inbound ones "whether users from external Microsoft
//   Entra organizations can access resources in your organization"
//   (https://learn.microsoft.com/en-us/entra/external-id/cross-tenant-access-overview): the
//   person's administrator (500212) or the bot's organization's (500213) must allow it.
// - AADSTS53000 DeviceNotCompliant "Conditional Access policy requires a compliant device ... The
//   user must enroll their device with an approved MDM provider like Intune"; AADSTS53001
//   DeviceNotDomainJoined "Have the user use a domain joined device"; AADSTS50097
//   DeviceAuthenticationRequired: a device, not multifactor authentication.
// - AADSTS50034 UserAccountNotFound, AADSTS50020 UserUnauthorized, AADSTS50057 UserDisabled: the
//   sign-in page's own code redemption says it as the exchange does.

import { strict as assert } from 'node:assert';
import { endPage } from '../../src/auth/pages/html';
import { createReplyCards } from '../../src/bot/replyCards';
import { SignInRequiredError } from '../../src/domain/errors';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';
import { oboRefusal } from '../fixtures/entraTokenRefusal';
import { redeemRefusal } from '../fixtures/redeemRefusal';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

function ssoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'alice', tid: 'tenant' })}.sig`;
}

/** The page's text with its quotes and apostrophes as written (the page escapes them). */
const text = (html: string): string => html.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

const NOT_SIGN_OUT = /sign out of Teams and back in|If it keeps failing|multi-factor|Sign-in did not complete/;

const CASES = [
  {
    code: 500212,
    error: 'invalid_grant',
    text: "The user's administrator has set an outbound access policy that does not allow access to the resource tenant.",
    obo: 'crossTenantOutbound',
    redeem: 'cross_tenant_outbound',
    words:
      /Your organization's cross-tenant access settings .*ask your Teams or Entra administrator to allow that organization in your organization's outbound cross-tenant access settings/i,
  },
  {
    code: 500213,
    error: 'invalid_grant',
    text: "The resource tenant's cross-tenant access policy does not allow this user to access this tenant.",
    obo: 'crossTenantInbound',
    redeem: 'cross_tenant_inbound',
    words:
      /does not let accounts of your organization in .*ask that organization's Teams or Entra administrator to allow your organization, or you, in its cross-tenant access settings/i,
  },
  {
    code: 53000,
    error: 'interaction_required',
    text: 'Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant.',
    obo: 'device',
    redeem: 'device_required',
    words: /only from a device it manages .*administrator how to enroll this/,
  },
  {
    code: 53001,
    error: 'interaction_required',
    text: 'Device is not in required device state: domain_joined.',
    obo: 'device',
    redeem: 'device_required',
    words: /only from a device it manages .*joined to its domain/,
  },
  {
    code: 50097,
    error: 'interaction_required',
    text: 'Device authentication is required.',
    obo: 'device',
    redeem: 'device_required',
    words: /only from a device it manages/,
  },
] as const;

const ACCOUNTS = [
  {
    code: 50034,
    text: 'The user account does not exist in the directory.',
    redeem: 'not_in_directory',
    words: /not in the Microsoft Entra directory .*administrator to add you/,
  },
  {
    code: 50020,
    text: "User account 'guest@fabrikam.com' does not exist in tenant 'Contoso'.",
    redeem: 'not_in_directory',
    words: /not in the Microsoft Entra directory .*administrator to add you/,
  },
  {
    code: 50057,
    text: 'The user account is disabled.',
    redeem: 'account_disabled',
    words: /Your account is disabled .*administrator to enable it/,
  },
] as const;

describe('cross-tenant access settings, managed devices and accounts: said for what they are', function () {
  let tls: LoopbackCertificate;
  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  for (const c of CASES) {
    it(`AADSTS${c.code} on the exchange: ${c.obo}, with its own words on the card`, async () => {
      const thrown = await oboRefusal(tls, { status: 400, error: c.error, code: c.code, text: c.text }, ssoToken());
      assert.ok(thrown instanceof SignInRequiredError, String(thrown));
      assert.equal(thrown.reason, c.obo);
      const cards = createReplyCards({ cloud: 'global', examples: null });
      for (const by of ['command', 'commandAlone', 'button'] as const) {
        const words = JSON.stringify(cards.signInProblem(thrown, null, by).attachment.content);
        assert.match(words, c.words, `${by}: ${words}`);
        assert.doesNotMatch(words, NOT_SIGN_OUT, `${by}: ${words}`);
        assert.doesNotMatch(words, /AADSTS/, 'no Entra text');
      }
    });

    it(`AADSTS${c.code} on the code redemption: ${c.redeem}, with its own words on the page`, async () => {
      const reason = await redeemRefusal(tls, { status: 400, error: c.error, code: c.code, text: c.text });
      assert.equal(reason, c.redeem);
      const html = text(endPage({ kind: 'failure', reason }, PASSWORD_RESET_PAGES.global));
      assert.match(html, c.words);
      assert.doesNotMatch(html, NOT_SIGN_OUT);
    });
  }

  for (const c of ACCOUNTS) {
    it(`AADSTS${c.code} on the code redemption: ${c.redeem}, as the exchange says it`, async () => {
      const reason = await redeemRefusal(tls, { status: 400, error: 'invalid_grant', code: c.code, text: c.text });
      assert.equal(reason, c.redeem);
      const html = text(endPage({ kind: 'failure', reason }, PASSWORD_RESET_PAGES.global));
      assert.match(html, c.words);
      assert.doesNotMatch(html, /select Sign in again|Sign-in did not complete/);
    });
  }

  describe("the authorize endpoint's redirect", function () {
    const session = signInPagesSession();
    for (const c of [...CASES, ...ACCOUNTS]) {
      it(`AADSTS${c.code} sent back with access_denied: ${c.redeem}`, async () => {
        const end = await session.refusedBack(`p-${c.code}`, 'access_denied', `AADSTS${c.code}: ${c.text}`);
        assert.equal(end.status, 400);
        assert.equal(dataAttr(end.body, 'reason'), c.redeem);
        assert.match(text(end.body), c.words);
        assert.doesNotMatch(end.body, /AADSTS|select Sign in again/);
        assert.deepEqual(session.signedIn, []);
      });
    }
  });
});
