// signin/verifyState on another instance than the end page (the token is in the pages instance's
// memory): the bot sends the card again for a fresh silent exchange, and the command must survive
// a state store that fails while it is asked for again. In process: the real handler, the bot's
// sign-in pages and the simulated tenant (signInFlowSession.ts).
// Microsoft docs pinned here:
// - the end page's notifySuccess leads Teams to send signin/verifyState:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// - an OAuth card with a tokenExchangeResource makes Teams exchange silently (signin/tokenExchange):
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
//   (every client of the user that shows a card tries its SSO, and the bot de-duplicates them)
// - a signin/failure is silent in Teams: the user sees nothing unless the bot says so:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/teams-sdk/teams/user-authentication/troubleshooting-sso

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { Records, StateUnavailableError } from '../../src/state/port';
import { bodyData } from '../fixtures/signInBrowser';
import { Rig } from './botRig';
import { cardsOf } from './botRig';
import { consentCommand, named, oauthOf, signInFlowSession, tokenExchange } from './signInFlowSession';

/** The waiting sign-ins' records, whose writes fail while `failing` (deletes still go through). */
function flaky(records: Records): Records & { failing: boolean } {
  const fail = () => Promise.reject(new StateUnavailableError('state store unavailable'));
  const r: Records & { failing: boolean } = {
    failing: false,
    get: (key) => records.get(key),
    create: (key, value, expiry) => (r.failing ? fail() : records.create(key, value, expiry)),
    replace: (key, value, version, expiry) => (r.failing ? fail() : records.replace(key, value, version, expiry)),
    put: (key, value, expiry) => (r.failing ? fail() : records.put(key, value, expiry)),
    delete: (key, version) => records.delete(key, version),
  };
  return r;
}

/** The Sign in button's link of the one OAuth card of a turn (with or without single sign-on). */
function signInLinkOf(sent: ReadonlyArray<Partial<Activity>>): string | undefined {
  const cards = sent.flatMap((a) => a.attachments ?? []).filter((x) => x.contentType.endsWith('card.oauth'));
  assert.equal(cards.length, 1, `one OAuth card: ${JSON.stringify(sent)}`);
  return (cards[0]!.content as { buttons: Array<{ value: string }> }).buttons[0]?.value;
}

describe('sign-in asked for again after verifyState on another instance', function () {
  this.timeout(20_000);
  const session = signInFlowSession();

  it('a state store that fails while the card is sent again loses no command, and it runs once', async () => {
    const { dir, tenant, base, clock, browser, rigs } = session;
    let records!: ReturnType<typeof flaky>;
    const other = new Rig(dir, {
      tenant,
      botOrigin: base,
      clock,
      pendingRecords: (inner) => (records = flaky(inner)),
    });
    rigs.push(other);
    const { alex, card } = await consentCommand(other);
    // Consent is missing: the silent exchange fails and the user signs in on the pages instance.
    const refused = await tokenExchange(other, alex, card.id);
    assert.equal(refused.invoke?.status, 412);
    const end = await browser.signIn(card.url, { userId: alex.aadObjectId });
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);

    records.failing = true;
    const verify = await other.invoke(alex, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    records.failing = false;
    assert.equal(verify.invoke?.status, 200);
    // The card is sent again, for the command that still waits, not an error.
    const again = oauthOf(verify.sent);
    assert.equal(other.writes().length, 0);

    // Teams exchanges the card it got (consent is granted now): the command runs, once.
    const exchange = await tokenExchange(other, alex, again.id);
    assert.equal(exchange.invoke?.status, 200);
    await other.bot.idle();
    assert.equal(other.writes().length, 1, 'the command ran');
    // The first card's exchange, from another of the user's clients, runs nothing more.
    await tokenExchange(other, alex, card.id);
    await other.bot.idle();
    assert.equal(other.writes().length, 1, 'the command ran once');
  });

  it('the card sent again and the first card lead to one waiting command: whichever completes, it runs once', async () => {
    const { browser, rigs } = session;
    const other = session.rig();
    const { alex, card } = await consentCommand(other);
    await tokenExchange(other, alex, card.id);
    const end = await browser.signIn(card.url, { userId: alex.aadObjectId });
    assert.ok(rigs[0]!.signInFlow.cachedToken(alex.aadObjectId), 'the token is in the pages instance');
    const verify = await other.invoke(alex, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    const again = oauthOf(verify.sent);
    assert.notEqual(again.id, card.id);
    // The new card's page has nothing left to ask for (consent is done).
    assert.equal((await other.signInFlow.pendingView(again.id))?.reason, undefined);

    // The user's other client still shows the first card and exchanges it first.
    const old = await tokenExchange(other, alex, card.id);
    assert.equal(old.invoke?.status, 200);
    const fresh = await tokenExchange(other, alex, again.id);
    assert.equal(fresh.invoke?.status, 200);
    await other.bot.idle();
    assert.equal(other.writes().length, 1, 'the command ran once');
  });

  it("the card sent again fails in Teams too: its first failure is told (once), though the first card's was", async () => {
    // The first card's SSO failed (installedappnotfound) and its Sign in card was sent; the user
    // signed in on the pages; verifyState reached another instance, which sent a fresh card. That
    // card's single sign-on fails the same way: a failure of a card the user was not told about.
    const { browser, rigs } = session;
    const other = session.rig();
    const megan = named(other, 'Megan Bowen');
    const first = await other.message(megan, `cancel role-request ${other.seed.examples.roleRequestId}`);
    const card = oauthOf(first.sent);
    const failed = await other.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.equal(signInLinkOf(failed.sent), card.url, 'the Sign in card of the command that waits');
    const duplicate = await other.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.deepEqual(duplicate.sent, [], "the first card's failure from another client: told already");

    const end = await browser.signIn(card.url, { userId: megan.aadObjectId });
    assert.ok(rigs[0]!.signInFlow.cachedToken(megan.aadObjectId), 'the token is in the pages instance');
    const verify = await other.invoke(megan, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    const again = oauthOf(verify.sent);
    assert.notEqual(again.id, card.id, 'a fresh card');

    const fresh = await other.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.equal(fresh.invoke?.status, 200);
    assert.equal(fresh.sent.length, 1, `the user is told what to do: ${JSON.stringify(fresh.sent)}`);
    assert.match(cardsOf(fresh.sent), /not installed for you/);
    assert.equal(signInLinkOf(fresh.sent), card.url, 'its button opens the page of the command that waits');
    // The fresh card's failure from the user's other clients, on any instance: told already.
    const web = await other.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.deepEqual(web.sent, []);
    const elsewhere = await session.rig().invoke(megan, 'signin/failure', { code: 'tokenmissing', message: 'x' });
    assert.deepEqual(elsewhere.sent, []);
    assert.equal(other.writes().length, 0, 'nothing ran yet');
  });

  it('the first card sent again because the state store failed to move it: its failure is told again', async () => {
    // The move failed (the store took no write): the first card goes again, the same id. Teams
    // tries its single sign-on anew; a failure of it is news to the user, as for a fresh card.
    const { dir, tenant, base, clock, browser, rigs } = session;
    let records!: ReturnType<typeof flaky>;
    const other = new Rig(dir, { tenant, botOrigin: base, clock, pendingRecords: (inner) => (records = flaky(inner)) });
    rigs.push(other);
    const megan = named(other, 'Megan Bowen');
    const first = await other.message(megan, `cancel role-request ${other.seed.examples.roleRequestId}`);
    const card = oauthOf(first.sent);
    const failed = await other.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.equal(signInLinkOf(failed.sent), card.url);

    const end = await browser.signIn(card.url, { userId: megan.aadObjectId });
    records.failing = true;
    const verify = await other.invoke(megan, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    records.failing = false;
    assert.equal(oauthOf(verify.sent).id, card.id, 'the first card, sent again');

    const again = await other.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.equal(again.sent.length, 1, `the user is told what to do: ${JSON.stringify(again.sent)}`);
    assert.equal(signInLinkOf(again.sent), card.url);
    const web = await other.invoke(megan, 'signin/failure', { code: 'installedappnotfound', message: 'x' });
    assert.deepEqual(web.sent, [], 'told once');
  });
});
