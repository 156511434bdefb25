// signin/failure: Teams reports that single sign-on failed on its side. Most codes are silent in
// Teams (the user sees nothing, the sign-in does not complete) and a new SSO attempt fails the same
// way, so the user gets the bot's Sign in card without SSO, whose button opens the bot's own
// sign-in page for the command that waits; the command then runs. In process: the real handler,
// the bot's sign-in pages and the simulated tenant (signInFlowSession.ts).
// Microsoft docs pinned here:
// - The signin/failure codes, which are silent, and that sign-in "simply doesn't complete":
//   https://learn.microsoft.com/en-us/microsoftteams/platform/teams-sdk/teams/user-authentication/troubleshooting-sso
// - An OAuth card without tokenExchangeResource is the plain sign-in flow: its button opens a page
//   on a validDomains domain, which ends with notifySuccess, then Teams sends signin/verifyState:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { SignInBrowser, bodyData } from '../fixtures/signInBrowser';
import { Rig, cardsOf } from './botRig';
import { named, oauthOf, signInFlowSession } from './signInFlowSession';

/** The OAuth cards of a turn, as sent. */
function oauthCards(sent: ReadonlyArray<Partial<Activity>>) {
  return sent
    .flatMap((a) => a.attachments ?? [])
    .filter((x) => x.contentType.endsWith('card.oauth'))
    .map((x) => x.content as { tokenExchangeResource?: unknown; buttons: Array<{ type: string; value: string }> });
}

describe('signin/failure: a Sign in card without SSO for the command that waits (handler, pages and simulated tenant)', function () {
  this.timeout(20_000);
  const session = signInFlowSession();
  let base: string;
  let rigs: Rig[];
  let browser: SignInBrowser;
  beforeEach(() => {
    ({ base, rigs, browser } = session);
  });

  for (const code of ['tokenmissing', 'invokeerror', 'resourcematchfailed', 'installedappnotfound']) {
    it(`${code}: the card's button opens the bot's page for the waiting command, which then runs`, async () => {
      const r = rigs[0]!;
      const megan = named(r, 'Megan Bowen');
      const first = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      const { id } = oauthOf(first.sent);

      const failure = await r.invoke(megan, 'signin/failure', { code, message: 'x' });
      assert.equal(failure.invoke?.status, 200);
      const cards = oauthCards(failure.sent);
      assert.equal(cards.length, 1, `a Sign in card: ${JSON.stringify(failure.sent)}`);
      assert.equal(cards[0]!.tokenExchangeResource, undefined, 'no new SSO attempt, which would fail silently again');
      assert.equal(cards[0]!.buttons[0]!.type, 'signin');
      const url = cards[0]!.buttons[0]!.value;
      assert.equal(url, `${base}/auth/start?s=${id}`, 'the page of the command that waits');
      assert.doesNotMatch(cardsOf(failure.sent), /send (the|your) command again/i, 'no advice that leads back here');

      const end = await browser.signIn(url, { userId: megan.aadObjectId });
      const state = bodyData(end.body, 'state');
      assert.ok(state, end.body);
      const verify = await r.invoke(megan, 'signin/verifyState', { state });
      assert.equal(verify.invoke?.status, 200);
      await r.bot.idle();
      assert.equal(r.writes().length, 1, 'the command ran');
      assert.equal(r.writes()[0]!.tokenClaims?.oid, megan.aadObjectId);
    });
  }

  it('userconsentrequired: the page asks Entra for consent', async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const first = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const { id } = oauthOf(first.sent);
    const failure = await r.invoke(megan, 'signin/failure', { code: 'userconsentrequired', message: 'x' });
    const url = oauthCards(failure.sent)[0]?.buttons[0]?.value;
    assert.ok(url, JSON.stringify(failure.sent));
    assert.equal((await r.signInFlow.pendingView(id))?.reason, 'consent');
    await browser.signIn(url, { userId: megan.aadObjectId });
    const authorize = new URL(browser.visited.find((u) => u.includes('/oauth2/v2.0/authorize'))!);
    assert.equal(authorize.searchParams.get('prompt'), 'consent');
  });

  it('nothing waits: a card that says what happened, and no Sign in card', async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const failure = await r.invoke(megan, 'signin/failure', { code: '<b>tokenmissing</b>', message: 'x' });
    assert.equal(failure.invoke?.status, 200);
    assert.equal(oauthCards(failure.sent).length, 0);
    assert.match(
      cardsOf(failure.sent),
      /Teams could not sign you in \(unknown\)/,
      'a code that is not a plain word is not shown',
    );
  });
});
