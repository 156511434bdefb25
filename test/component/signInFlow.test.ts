// The sign-in fallback wired end to end in process: the real handler (botRig), the bot's sign-in
// pages on a loopback HTTP server, and the simulated tenant's authorize and token endpoints over
// HTTPS (consent page, MFA step, PKCE codes). A small HTTP browser follows the card's Sign in
// button; signin/verifyState (or the click re-sent with `state`) then runs what waited.
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
import type { Activity } from 'botbuilder';
import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import * as restify from 'restify';
import { catalogScopes } from '../../src/auth/catalogScopes';
import { MsalCodeRedeemer } from '../../src/auth/codeRedeemer';
import type { DelegatedToken, OboExchanger } from '../../src/auth/tokens';
import { mountSignInPages } from '../../src/auth/signInPages';
import { Target } from '../../src/domain/operations';
import { createLogger } from '../../src/log';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';
import { TenantServer, startTenantServer } from '../../src/sandbox/server';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { freePort } from '../fixtures/ports';
import { SignInBrowser, bodyData } from '../fixtures/signInBrowser';
import { FakeClock } from './fakeClock';
import { GRAPH, Rig, User, cardsOf } from './botRig';

const quiet = () =>
  createLogger({
    destination: new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  });

describe('sign-in that never dead-ends (handler, pages and simulated tenant)', function () {
  this.timeout(20_000);
  let tls: LoopbackCertificate;
  let dir: string;
  let tenant: SimulatedTenant;
  let tenantServer: TenantServer;
  let base: string;
  let server: restify.Server;
  let rigs: Rig[];
  let clock: FakeClock;
  let browser: SignInBrowser;

  before(async () => {
    tls = await generateLoopbackCertificate();
  });

  beforeEach(async () => {
    dir = Rig.dir();
    rigs = [];
    clock = new FakeClock();
    tenant = new SimulatedTenant(loadDemoSeed());
    tenantServer = await startTenantServer({ tenant, cert: tls.cert, key: tls.key });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    browser = new SignInBrowser(tls.ca);
    const first = rig();
    server = restify.createServer({ handleUncaughtExceptions: false });
    const seed = first.seed;
    mountSignInPages(server, {
      publicBaseUrl: base,
      authorityHost: tenantServer.url,
      sso: { clientId: seed.app.clientId, clientSecret: seed.app.clientSecret, tenantId: seed.tenantId },
      // The Graph the rig calls: the redeemed token's audience.
      scopes: catalogScopes(GRAPH),
      states: first.signInStates,
      findPending: (id) => first.signInFlow.pendingView(id),
      onSignedIn: (aad, token, expiresOn, pendingId, signOutMark) =>
        first.signInFlow.signedIn(aad, token, expiresOn, pendingId, signOutMark),
      logger: quiet(),
      redeemer: new MsalCodeRedeemer({
        clientId: seed.app.clientId,
        clientSecret: seed.app.clientSecret,
        tenantId: seed.tenantId,
        authorityHost: tenantServer.url,
        ca: tls.ca,
      }),
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  });

  afterEach(async () => {
    for (const r of rigs) await r.close();
    server.close();
    await tenantServer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One bot instance; several share the state directory, the tenant and the pages' origin. */
  function rig(): Rig {
    const r = new Rig(dir, { tenant, botOrigin: base, clock });
    rigs.push(r);
    return r;
  }

  const named = (r: Rig, name: string): User => r.user(r.seed.users.findIndex((u) => u.displayName === name));

  /** The OAuth card of a turn: its exchange id and its Sign in button's URL. */
  function oauthOf(sent: ReadonlyArray<Partial<Activity>>) {
    const card = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
    assert.ok(card, `an OAuth card: ${JSON.stringify(sent)}`);
    const content = card.content as {
      text: string;
      tokenExchangeResource: { id: string };
      buttons: Array<{ type: string; value: string }>;
    };
    return { id: content.tokenExchangeResource.id, url: content.buttons[0]!.value, text: content.text };
  }

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

  it('a token exchange from another of the user’s clients holds the sign-in as the end page runs: the sign-in succeeds and the command runs', async () => {
    const r = rigs[0]!;
    // The user's other client (say, the phone) sends its token exchange to another instance, where
    // Entra's answer is held until the end page has run.
    let asking!: () => void;
    const exchangeAsking = new Promise<void>((resolve) => (asking = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const other = new Rig(dir, {
      tenant,
      botOrigin: base,
      clock,
      obo: (inner): OboExchanger => ({
        async exchange(ssoToken: string): Promise<DelegatedToken> {
          const outcome = inner.exchange(ssoToken).then(
            (token) => ({ token }),
            (error: unknown) => ({ error }),
          );
          asking();
          await answered;
          const settled = await outcome;
          if ('error' in settled) throw settled.error;
          return settled.token;
        },
      }),
    });
    rigs.push(other);
    const alex = named(r, 'Alex Wilber');
    const first = await r.message(alex, `cancel access-request ${r.seed.selfService.consentUserAccessRequestId}`);
    const card = oauthOf(first.sent);
    await r.invoke(alex, 'signin/tokenExchange', { id: card.id, connectionName: '', token: r.sso(alex) });
    const start = await browser.request(card.url);
    assert.equal(start.status, 302);

    const exchange = other.invoke(alex, 'signin/tokenExchange', {
      id: card.id,
      connectionName: '',
      token: other.sso(alex),
    });
    await exchangeAsking;
    const end = await browser.signIn(new URL(start.location!, start.url).toString(), { userId: alex.aadObjectId });
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
    assert.ok(r.signInFlow.cachedToken(alex.aadObjectId), 'the token is kept');

    // Entra refuses the other client's exchange (its consent was missing when it asked): the
    // command waits again, and Teams' verifyState runs it with the page's token.
    answer();
    assert.equal((await exchange).invoke?.status, 412);
    const verify = await r.invoke(alex, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran once');
    assert.equal(r.writes()[0]!.tokenClaims?.oid, alex.aadObjectId);
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

  it('verifyState on another instance than the end page: the card is sent again and single sign-on completes there', async () => {
    const pagesInstance = rigs[0]!;
    const other = rig();
    const alex = named(other, 'Alex Wilber');
    const first = await other.message(
      alex,
      `cancel access-request ${other.seed.selfService.consentUserAccessRequestId}`,
    );
    const card = oauthOf(first.sent);
    await other.invoke(alex, 'signin/tokenExchange', { id: card.id, connectionName: '', token: other.sso(alex) });
    const end = await browser.signIn(card.url, { userId: alex.aadObjectId });
    assert.ok(pagesInstance.signInFlow.cachedToken(alex.aadObjectId), 'the token is in the pages instance');

    const verify = await other.invoke(alex, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    assert.equal(verify.invoke?.status, 200);
    const again = oauthOf(verify.sent);
    assert.notEqual(again.id, card.id, 'a fresh exchange for the same command');
    assert.equal(other.writes().length, 0);
    // Consent is granted now, so Teams' silent exchange succeeds on this instance.
    const exchange = await other.invoke(alex, 'signin/tokenExchange', {
      id: again.id,
      connectionName: '',
      token: other.sso(alex),
    });
    assert.equal(exchange.invoke?.status, 200);
    await other.bot.idle();
    assert.equal(other.writes().length, 1);
  });
});
