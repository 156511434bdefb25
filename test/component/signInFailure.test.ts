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
// - Teams sends the sign-in invokes from every client of the user that shows the card, and the bot
//   de-duplicates them; in a group chat every member's client may answer the card:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
//   (installedappnotfound, "not installed for the user or group chat", is the most common code).
// - Each command gets one reply message (contract §6): the failure adds one card, not two.

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

  // The code is the client's word: one naming a member every object has ("constructor",
  // "__proto__": plain words by the code's pattern) is a code the bot does not know, and gets the
  // words of one, not the member's text ("function Object() …", "[object Object]").
  it('a code naming an object member is an unknown code, whether a command waits or not', async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    for (const code of ['constructor', '__proto__']) {
      const lone = await r.invoke(megan, 'signin/failure', { code, message: 'x' });
      assert.equal(lone.invoke?.status, 200);
      assert.match(cardsOf(lone.sent), new RegExp(`Teams could not sign you in \\(${code}\\)\\. Then send`));
    }
    const first = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const { id } = oauthOf(first.sent);
    const failure = await r.invoke(megan, 'signin/failure', { code: 'constructor', message: 'x' });
    assert.equal(failure.invoke?.status, 200);
    const card = oauthCards(failure.sent)[0] as { text?: string } | undefined;
    assert.equal(
      card?.text,
      'Teams could not sign you in (constructor). Select Sign in; what you asked for then runs.',
    );
    assert.equal((await r.signInFlow.pendingView(id))?.reason, undefined, 'no reason the sign-in page would act on');
  });

  it("nothing waits: a failure from each of the user's clients explains it once, on any instance, for a few minutes", async () => {
    // Teams sends signin/failure from each client of the user that tries the card (desktop, web,
    // mobile): bot-sso-code and troubleshooting-sso above. The same explanation three times over
    // says nothing more.
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    r.failSends = 1;
    const lost = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.equal(lost.invoke?.status, 200);
    const desktop = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.match(cardsOf(desktop.sent), /could not get a sign-in token/, 'the one that could not be sent goes now');
    const web = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.equal(web.invoke?.status, 200);
    assert.deepEqual(web.sent, [], `explained already: ${JSON.stringify(web.sent)}`);
    const mobile = await session.rig().invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.deepEqual(mobile.sent, [], 'another instance on the same state knows it too');
    // Another failure is explained; so is the same one, later.
    const other = await r.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.match(cardsOf(other.sent), /not installed for you/);
    await session.clock.advance(5 * 60_000 + 1);
    const later = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.match(cardsOf(later.sent), /could not get a sign-in token/);
  });

  const group = (r: Rig) => ({
    conversation: {
      id: '19:group-chat@thread.v2',
      conversationType: 'groupChat',
      isGroup: true,
      tenantId: r.seed.tenantId,
      name: '',
    },
  });

  it("one message: the Sign in card says what happened, and a failure from each of the user's clients sends it once", async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const desktop = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.equal(desktop.sent.length, 1, `one message: ${JSON.stringify(desktop.sent)}`);
    const card = oauthCards(desktop.sent)[0] as { text?: string } | undefined;
    assert.match(card?.text ?? '', /could not get a sign-in token/, 'the card says why');
    for (const code of ['tokenmissing', 'invokeerror']) {
      const other = await r.invoke(megan, 'signin/failure', { code, message: 'x' });
      assert.equal(other.invoke?.status, 200);
      assert.deepEqual(other.sent, [], 'the Sign in card was sent already');
    }
    // Another bot instance on the same state: still once.
    const second = session.rig();
    const elsewhere = await second.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.equal(elsewhere.invoke?.status, 200);
    assert.deepEqual(elsewhere.sent, []);
  });

  it('group chat: the waiting user gets one Sign in card; a member whose client failed on it gets nothing posted', async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const adele = named(r, 'Adele Vance');
    // Adele has a command of her own waiting in her personal chat: it is not this chat's business.
    await r.message(adele, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const first = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`, group(r));
    const { id } = oauthOf(first.sent);

    const bystander = await r.invoke(adele, 'signin/failure', { code: 'installedappnotfound', message: 'x' }, group(r));
    assert.equal(bystander.invoke?.status, 200);
    assert.deepEqual(bystander.sent, [], `nothing for every member to read: ${JSON.stringify(bystander.sent)}`);

    const own = await r.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' }, group(r));
    assert.equal(own.sent.length, 1);
    assert.equal(oauthCards(own.sent)[0]!.buttons[0]!.value, `${base}/auth/start?s=${id}`);
  });

  it("personal chat: a failure where none of the user's commands waits does not post one that waits elsewhere", async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`, group(r));
    const failure = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.equal(failure.invoke?.status, 200);
    assert.equal(oauthCards(failure.sent).length, 0, 'the group chat command is signed in from its own card');
  });

  it('the Sign in card could not be sent: the next report of that failure sends it (once), and each answers 200', async () => {
    // Contract §5.5: a sign-in invoke is answered 200, never a 5xx. The first report's card met a
    // 503 from Teams; had its mark stood, every later report would be taken for a duplicate and the
    // user would never get the card while the command waits.
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const first = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const { id } = oauthOf(first.sent);
    r.failSends = 1;
    const lost = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.equal(lost.invoke?.status, 200);
    assert.equal(oauthCards(lost.sent).length, 0);
    const again = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.equal(again.invoke?.status, 200);
    assert.equal(oauthCards(again.sent).length, 1, `the card now: ${JSON.stringify(again.sent)}`);
    assert.equal(oauthCards(again.sent)[0]!.buttons[0]!.value, `${base}/auth/start?s=${id}`);
    const third = await r.invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.deepEqual(third.sent, [], 'once it went, not again');
  });

  it("a failure reported after another client's token exchange ran the command: nothing posted", async () => {
    // One of the user's clients completed the card's single sign-on (the command ran); another,
    // where the app is not installed, reports its failure afterwards (bot-sso-code above).
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const asked = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const id = (asked.sent[0]!.attachments![0]!.content as { tokenExchangeResource: { id: string } })
      .tokenExchangeResource.id;
    const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran');
    const late = await r.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.equal(late.invoke?.status, 200);
    assert.deepEqual(late.sent, [], `nothing posted: ${JSON.stringify(late.sent)}`);
  });

  it('a failure reported after the user signed in from the card: nothing posted, no advice to send the command again', async () => {
    // Teams sends signin/failure from each client of the user that tries the SSO card (bot-sso-code,
    // troubleshooting-sso above): a client that tries it after the user signed in from the first
    // report's card fails the same way. The command already ran; "send your command again" would
    // run it twice.
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const desktop = await r.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    const url = oauthCards(desktop.sent)[0]!.buttons[0]!.value;
    const end = await browser.signIn(url, { userId: megan.aadObjectId });
    await r.invoke(megan, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran');

    const mobile = await r.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.equal(mobile.invoke?.status, 200);
    assert.deepEqual(mobile.sent, [], `nothing posted: ${JSON.stringify(mobile.sent)}`);
    // Another instance on the same state knows it too.
    const elsewhere = await session.rig().invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.deepEqual(elsewhere.sent, []);
  });
});
