// Sign-in that runs what waited: the OAuth card's button opens the bot's start page, Entra asks for
// what was missing (consent, the MFA step), and signin/verifyState (or the click re-sent with
// `state`) runs the command as the user. In process: the real handler, the bot's sign-in pages and
// the simulated tenant's authorize and token endpoints (signInFlowSession.ts).
// Microsoft docs pinned here:
// - Teams bot sign-in: the OAuth card's button opens a page on a validDomains domain, the page
//   ends with notifySuccess, then Teams sends signin/verifyState with the value it handed over:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// - SSO fallback: a failed token exchange is answered 412 and Teams shows the card's button:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// - Universal Actions: the loginRequest answer, and the click re-sent with `state` after sign-in:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// - Authorization code flow (prompt=consent, claims): https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { SignInBrowser, bodyData } from '../fixtures/signInBrowser';
import { Rig, cardsOf } from './botRig';
import { named, oauthOf, signInFlowSession } from './signInFlowSession';

describe('sign-in that never dead-ends: the button, Entra’s page, then the command (handler, pages and simulated tenant)', function () {
  this.timeout(20_000);
  const session = signInFlowSession();
  let base: string;
  let rigs: Rig[];
  let browser: SignInBrowser;
  beforeEach(() => {
    ({ base, rigs, browser } = session);
  });

  it('consent missing: the card opens the start page, which asks Entra for consent; then verifyState runs the command as the user', async () => {
    const r = rigs[0]!;
    const alex = named(r, 'Alex Wilber');
    const first = await r.message(alex, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`);
    const card = oauthOf(first.sent);
    assert.equal(card.url, `${base}/auth/start?s=${card.id}`, 'never an empty URL');

    const exchange = await r.invoke(alex, 'signin/tokenExchange', {
      id: card.id,
      connectionName: '',
      token: r.sso(alex),
    });
    assert.equal(exchange.invoke?.status, 412, 'Teams shows the button');
    assert.equal((await r.signInFlow.pendingView(card.id))?.reason, 'consent', 'the reason is kept for the page');

    const end = await browser.signIn(card.url, { userId: alex.aadObjectId });
    const authorize = new URL(browser.visited.find((u) => u.includes('/oauth2/v2.0/authorize'))!);
    assert.equal(authorize.searchParams.get('prompt'), 'consent');
    assert.equal(end.status, 200, end.body);
    assert.equal(bodyData(end.body, 'outcome'), 'success');
    const state = bodyData(end.body, 'state')!;
    assert.equal(r.writes().length, 0, 'nothing ran before verifyState');

    const verify = await r.invoke(alex, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1);
    assert.equal(r.writes()[0]!.tokenClaims?.oid, alex.aadObjectId, 'as the user, with the page’s token');
    assert.match(cardsOf(r.sent), /Cancelled the access package assignment request/);
  });

  it('MFA required: the start page sends Entra the claims challenge; after the MFA step the command runs', async () => {
    const r = rigs[0]!;
    const isaiah = named(r, 'Isaiah Langer');
    const first = await r.message(isaiah, `cancel role-request ${r.seed.selfService.mfaUserRoleRequestId}`);
    const card = oauthOf(first.sent);
    const exchange = await r.invoke(isaiah, 'signin/tokenExchange', {
      id: card.id,
      connectionName: '',
      token: r.sso(isaiah),
    });
    assert.equal(exchange.invoke?.status, 412);
    const pending = await r.signInFlow.pendingView(card.id);
    assert.equal(pending?.reason, 'mfa');
    assert.match(pending?.claims ?? '', /"capolids"/, "Entra's claims challenge is kept");

    const end = await browser.signIn(card.url, { userId: isaiah.aadObjectId });
    const authorize = new URL(browser.visited.find((u) => u.includes('/oauth2/v2.0/authorize'))!);
    assert.equal(authorize.searchParams.get('claims'), pending?.claims);
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);

    await r.invoke(isaiah, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    await r.bot.idle();
    assert.equal(r.writes()[0]?.tokenClaims?.oid, isaiah.aadObjectId);
    assert.match(cardsOf(r.sent), /Cancelled the role assignment request/);
  });

  it('a card button: the loginRequest opens the start page, and the click Teams re-sends with the state acts', async () => {
    const r = rigs[0]!;
    const megan = named(r, 'Megan Bowen');
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', target);
    const login = await r.click(megan, target, 'card-1');
    assert.equal(login.status, 200);
    assert.equal(login.body.statusCode, 401);
    const card = login.body.value as { tokenExchangeResource: { id: string }; buttons: Array<{ value: string }> };
    assert.equal(card.buttons[0]!.value, `${base}/auth/start?s=${card.tokenExchangeResource.id}`);

    const end = await browser.signIn(card.buttons[0]!.value, { userId: megan.aadObjectId });
    const state = bodyData(end.body, 'state');
    assert.ok(state, end.body);
    const again = await r.click(megan, target, 'card-1', { state });
    assert.equal(again.status, 200);
    assert.equal(again.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(again.body.value), /Cancelled by Megan Bowen/);
    assert.equal(r.writes().length, 1);
  });
});
