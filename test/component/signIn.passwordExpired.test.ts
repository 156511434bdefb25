// An expired password (AADSTS50055 InvalidPasswordExpiredPassword "The user's password is expired,
// and therefore their login or session was ended. They'll be offered the opportunity to reset it,
// or can ask an admin to reset it"; AADSTS50144 InvalidPasswordExpiredOnPremPassword "User's
// Active Directory password has expired ... have the user use the self-service reset tool":
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes) is mended by
// changing the password, then signing in again: Microsoft's self-service password reset is at
// https://aka.ms/sspr (https://learn.microsoft.com/en-us/entra/identity/authentication/concept-sspr-howitworks).
// The words "Your sign-in expired or was revoked … sign in again" would send the person back to the
// same refusal. The Sign in card (the simulated tenant refusing the silent exchange in process)
// and the sign-in page after the authorize endpoint's redirect say to change it first; the Sign
// in link still asks for a fresh sign-in (r=expired), where Entra may offer the change itself.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { loadDemoSeed } from '../../src/sandbox/seed';
import type { SeededSignInRefusal } from '../../src/sandbox/signInRefusals';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';
import { rigMadeInTest } from './rigPerTest';

const WORDS = /Your password has expired\b.*Change it .*https:\/\/aka\.ms\/sspr.*or as your organization tells you/;
const NOT_EXPIRED_SIGN_IN = /expired or was revoked|Sign-in did not complete|sign out of Teams/;

/** The page's text with its quotes and apostrophes as written (the page escapes them). */
const text = (html: string): string => html.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

function signInCard(sent: ReadonlyArray<Partial<Activity>>): { text: string; link: URL } {
  const card = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
  const content = card?.content as { text: string; buttons: Array<{ value: string }> } | undefined;
  assert.ok(content, `a Sign in card: ${JSON.stringify(sent)}`);
  return { text: content.text, link: new URL(content.buttons[0]!.value) };
}

describe('an expired password: change it, then sign in again', function () {
  this.timeout(20_000);
  const rigIn = rigMadeInTest();

  for (const [refusal, code] of [
    ['passwordExpired', 50055],
    ['onPremPasswordExpired', 50144],
  ] as const satisfies ReadonlyArray<readonly [SeededSignInRefusal, number]>) {
    it(`AADSTS${code} on the silent exchange: the Sign in card says to change the password`, async () => {
      const seed = loadDemoSeed();
      const users = seed.users.map((u, i) => (i === 0 ? { ...u, signInRefusal: refusal } : u));
      const r = rigIn({ tenant: new SimulatedTenant({ ...seed, users }), silent: true });
      const megan = r.user(0);
      const { sent } = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      const card = signInCard(sent);
      assert.match(
        card.text,
        /Your password has expired\. Change it at https:\/\/aka\.ms\/sspr, or as your organization tells you, then select Sign in/,
      );
      assert.doesNotMatch(card.text, NOT_EXPIRED_SIGN_IN);
      assert.equal(card.link.searchParams.get('r'), 'expired', 'the page asks for a fresh sign-in');
      const all = JSON.stringify(sent);
      assert.doesNotMatch(all, /AADSTS|expired or was revoked/, all);
    });
  }

  describe("the authorize endpoint's redirect", function () {
    const session = signInPagesSession();
    for (const [code, description] of [
      [50055, 'The password is expired.'],
      [50144, "User's Active Directory password has expired."],
    ] as const) {
      it(`AADSTS${code} sent back with the error: password_expired, with its words`, async () => {
        const end = await session.refusedBack(`p-${code}`, 'invalid_grant', `AADSTS${code}: ${description}`);
        assert.equal(dataAttr(end.body, 'reason'), 'password_expired');
        assert.match(text(end.body), WORDS);
        assert.match(text(end.body), /then close this window and select Sign in again/);
        assert.doesNotMatch(text(end.body), NOT_EXPIRED_SIGN_IN);
        assert.doesNotMatch(end.body, /AADSTS/);
        assert.deepEqual(session.signedIn, []);
      });
    }
  });
});
