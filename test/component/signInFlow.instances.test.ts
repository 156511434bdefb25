// Sign-in across bot instances: the pages run on one instance, while another takes the user's
// token exchange (from another of the user's clients) or Teams' signin/verifyState. In process: the
// real handler, the bot's sign-in pages and the simulated tenant's authorize and token endpoints
// (signInFlowSession.ts).
// Microsoft docs pinned here:
// - Teams bot sign-in: the OAuth card's button opens a page on a validDomains domain, the page
//   ends with notifySuccess, then Teams sends signin/verifyState with the value it handed over:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// - SSO fallback: a failed token exchange is answered 412 and Teams shows the card's button:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code

import { strict as assert } from 'node:assert';
import type { DelegatedToken, OboExchanger } from '../../src/auth/tokens';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { SignInBrowser, bodyData } from '../fixtures/signInBrowser';
import { FakeClock } from './fakeClock';
import { Rig } from './botRig';
import { consentCommand, oauthOf, signInFlowSession, tokenExchange } from './signInFlowSession';

describe('sign-in that never dead-ends: several bot instances (handler, pages and simulated tenant)', function () {
  this.timeout(20_000);
  const session = signInFlowSession();
  let dir: string;
  let tenant: SimulatedTenant;
  let base: string;
  let rigs: Rig[];
  let clock: FakeClock;
  let browser: SignInBrowser;
  const rig = (): Rig => session.rig();
  beforeEach(() => {
    ({ dir, tenant, base, rigs, clock, browser } = session);
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
    const { alex, card } = await consentCommand(r);
    await tokenExchange(r, alex, card.id);
    const start = await browser.request(card.url);
    assert.equal(start.status, 302);

    const exchange = tokenExchange(other, alex, card.id);
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

  it('verifyState on another instance than the end page: the card is sent again and single sign-on completes there', async () => {
    const pagesInstance = rigs[0]!;
    const other = rig();
    const { alex, card } = await consentCommand(other);
    await tokenExchange(other, alex, card.id);
    const end = await browser.signIn(card.url, { userId: alex.aadObjectId });
    assert.ok(pagesInstance.signInFlow.cachedToken(alex.aadObjectId), 'the token is in the pages instance');

    const verify = await other.invoke(alex, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    assert.equal(verify.invoke?.status, 200);
    const again = oauthOf(verify.sent);
    assert.notEqual(again.id, card.id, 'a fresh exchange for the same command');
    assert.equal(other.writes().length, 0);
    // Consent is granted now, so Teams' silent exchange succeeds on this instance.
    const exchange = await tokenExchange(other, alex, again.id);
    assert.equal(exchange.invoke?.status, 200);
    await other.bot.idle();
    assert.equal(other.writes().length, 1);
  });
});
