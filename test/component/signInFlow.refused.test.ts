// Sign-in that never runs anything it should not: the wrong account on Entra's page, consent
// declined, "sign out" while Entra's page is open, and a verifyState with a state that is unknown,
// used, expired or another user's. In process: the real handler, the bot's sign-in pages and the
// simulated tenant's authorize and token endpoints (signInFlowSession.ts).
// Microsoft docs pinned here:
// - Teams bot sign-in: the OAuth card's button opens a page on a validDomains domain, the page
//   ends with notifySuccess, then Teams sends signin/verifyState with the value it handed over:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// - SSO fallback: a failed token exchange is answered 412 and Teams shows the card's button:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// - Authorization code flow (prompt=consent, claims): https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
// - Universal Actions: a click re-sent with an incorrect `state` (after the loginRequest's Sign in
//   page) is answered 401 invalidAuthCode, no value (the type Teams' page gives, and the only 401
//   type besides loginRequest that Teams takes); 412 preconditionFailed is for "The SSO
//   authentication flow failed":
//   https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format
//   https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { SignInBrowser, bodyData } from '../fixtures/signInBrowser';
import { FakeClock } from './fakeClock';
import { Rig, cardsOf } from './botRig';
import { named, oauthOf, signInFlowSession } from './signInFlowSession';

describe('sign-in that never dead-ends: refused, declined, signed out or a bad state (handler, pages and simulated tenant)', function () {
  this.timeout(20_000);
  const session = signInFlowSession();
  let rigs: Rig[];
  let clock: FakeClock;
  let browser: SignInBrowser;
  beforeEach(() => {
    ({ rigs, clock, browser } = session);
  });

  it('the wrong account on the tenant page: the end page refuses it, no state for Teams, no token kept', async () => {
    const r = rigs[0]!;
    const alex = named(r, 'Alex Wilber');
    const megan = named(r, 'Megan Bowen');
    const first = await r.message(alex, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`);
    const card = oauthOf(first.sent);
    const end = await browser.signIn(card.url, { userId: megan.aadObjectId });
    assert.equal(end.status, 403);
    assert.equal(bodyData(end.body, 'reason'), 'wrong_user');
    assert.equal(bodyData(end.body, 'state'), null);
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null);
    assert.equal(r.signInFlow.cachedToken(alex.aadObjectId), null);
    // The command still waits: the same button, with the right account, completes it.
    const again = await browser.signIn(card.url, { userId: alex.aadObjectId });
    assert.equal(bodyData(again.body, 'outcome'), 'success', again.body);
  });

  it('declining consent on the tenant page ends with notifyFailure(access_denied); nothing is kept or run', async () => {
    const r = rigs[0]!;
    const alex = named(r, 'Alex Wilber');
    const first = await r.message(alex, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`);
    const card = oauthOf(first.sent);
    await r.invoke(alex, 'signin/tokenExchange', { id: card.id, connectionName: '', token: r.sso(alex) });
    const end = await browser.signIn(card.url, { userId: alex.aadObjectId, consent: 'decline' });
    assert.equal(bodyData(end.body, 'outcome'), 'failure');
    assert.equal(bodyData(end.body, 'reason'), 'access_denied');
    assert.doesNotMatch(end.body, /AADSTS/, "Entra's text is not repeated");
    assert.equal(r.signInFlow.cachedToken(alex.aadObjectId), null);
    await r.bot.idle();
    assert.equal(r.writes().length, 0);
  });

  it('"sign out" while Entra\'s page is open: the end page keeps no token, and the next command asks to sign in', async () => {
    const r = rigs[0]!;
    const alex = named(r, 'Alex Wilber');
    const first = await r.message(alex, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`);
    const card = oauthOf(first.sent);
    await r.invoke(alex, 'signin/tokenExchange', { id: card.id, connectionName: '', token: r.sso(alex) });
    const start = await browser.request(card.url);
    assert.equal(start.status, 302);
    await r.message(alex, 'sign out');
    const end = await browser.signIn(new URL(start.location!, start.url).toString(), { userId: alex.aadObjectId });
    assert.equal(bodyData(end.body, 'outcome'), 'failure', end.body);
    assert.equal(bodyData(end.body, 'reason'), 'signed_out');
    assert.equal(bodyData(end.body, 'state'), null, 'no state for Teams');
    assert.equal(r.signInFlow.cachedToken(alex.aadObjectId), null, 'sign out wins over the sign-in it overtook');
    const next = await r.message(alex, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`);
    oauthOf(next.sent);
    await r.bot.idle();
    assert.equal(r.writes().length, 0, 'nothing ran');
  });

  it('an unknown, used, expired or other user’s state is answered 4xx with a card, and nothing runs', async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const adele = named(r, 'Adele Vance');
    const first = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    const { id } = oauthOf(first.sent);

    const unknown = await r.invoke(megan, 'signin/verifyState', { state: 'not-a-state-the-bot-issued' });
    assert.equal(unknown.invoke?.status, 404);
    assert.match(cardsOf(unknown.sent), /no longer valid/);

    const state = await r.signInStates.issueVerify(id, megan.aadObjectId);
    const foreign = await r.invoke(adele, 'signin/verifyState', { state });
    assert.equal(foreign.invoke?.status, 403);
    assert.match(cardsOf(foreign.sent), /belongs to someone else/);
    const owner = await r.invoke(megan, 'signin/verifyState', { state });
    assert.equal(owner.invoke?.status, 200, 'the other user did not consume it');
    const used = await r.invoke(megan, 'signin/verifyState', { state });
    assert.equal(used.invoke?.status, 404, 'single use');

    const later = await r.signInStates.issueVerify(id, megan.aadObjectId);
    await clock.advance(5 * 60_000 + 1);
    const expired = await r.invoke(megan, 'signin/verifyState', { state: later });
    // Past its five minutes: expired, or already forgotten by the store (then unknown).
    assert.ok([404, 410].includes(expired.invoke?.status ?? 0), String(expired.invoke?.status));
    assert.match(cardsOf(expired.sent), /no longer valid|took too long/);
    await r.bot.idle();
    assert.equal(r.writes().length, 0, 'no state ran anything without a token of the user');
  });
  it('a click re-sent with an unknown or other user’s state is answered 401 invalidAuthCode, the card says what to do, and nothing runs', async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const adele = named(r, 'Adele Vance');
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', target);
    const login = await r.click(megan, target, 'card-1');
    assert.equal(login.body.statusCode, 401);

    const unknown = await r.click(megan, target, 'card-1', { state: 'not-a-state-the-bot-issued' });
    assert.equal(unknown.status, 200);
    assert.deepEqual(unknown.body, {
      statusCode: 401,
      type: 'application/vnd.microsoft.error.invalidAuthCode',
    });
    // The answer carries no words: the card the bot posts says what happened and what to do.
    assert.match(cardsOf(unknown.sent), /no longer valid/);
    assert.match(cardsOf(unknown.sent), /press the card's button again/);

    // Adele's state, from her own sign-in for her own card, in Megan's re-sent click.
    await r.postCard(adele, 'card-2', target);
    const adeleLogin = await r.click(adele, target, 'card-2');
    const adeleId = (adeleLogin.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const state = await r.signInStates.issueVerify(adeleId, adele.aadObjectId);
    const foreign = await r.click(megan, target, 'card-1', { state });
    assert.equal(foreign.body.statusCode, 401);
    assert.deepEqual(foreign.body, { statusCode: 401, type: 'application/vnd.microsoft.error.invalidAuthCode' });
    assert.match(cardsOf(foreign.sent), /belongs to someone else/);
    await r.bot.idle();
    assert.equal(r.writes().length, 0, 'nothing ran');

    // Adele's state was not spent by Megan's click: her own verifyState still signs her in.
    const own = await r.invoke(adele, 'signin/verifyState', { state });
    assert.equal(own.invoke?.status, 200);

    // The way on: the button pressed again (no state) asks for a fresh sign-in.
    const again = await r.click(megan, target, 'card-1');
    assert.equal(again.body.statusCode, 401);
    assert.equal(again.body.type, 'application/vnd.microsoft.activity.loginRequest');
    await r.bot.idle();
    assert.equal(r.writes().length, 0, 'nothing ran for Megan without her sign-in');
  });
});
