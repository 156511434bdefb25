// A waiting sign-in survives an instance that dies, or a state store that fails, while its token
// exchange is on its way: the exchange holds the sign-in under a lease in the shared state rather
// than taking it out and putting it back, so the command still waits for the card's Sign in button
// (the sign-in pages), and a later exchange runs it, once, when the dead holder's lease has ended.
// In process: the real handler, the bot's sign-in pages and the simulated tenant
// (signInFlowSession.ts); the instances share one SQLite file.
// Microsoft docs pinned here:
// - SSO fallback: a failed token exchange is answered 412 and Teams shows the card's button, whose
//   sign-in page must then work: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// - Teams bot sign-in: the page ends with notifySuccess, then Teams sends signin/verifyState:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import { strict as assert } from 'node:assert';
import { EXCHANGE_LEASE_MS } from '../../src/auth/tokenExchange';
import type { DelegatedToken, OboExchanger } from '../../src/auth/tokens';
import { bodyData } from '../fixtures/signInBrowser';
import { Rig } from './botRig';
import { consentCommand, oauthOf, signInFlowSession, tokenExchange } from './signInFlowSession';

describe('sign-in that never dead-ends: a token exchange whose instance dies or whose state store fails', function () {
  this.timeout(20_000);
  const session = signInFlowSession();

  /** An instance whose on-behalf-of call never comes back while it lives: it "dies" mid-exchange
   * (its state store closes, so nothing it does after reaches the shared state). */
  function dyingInstance() {
    let asking!: () => void;
    const asked = new Promise<void>((resolve) => (asking = resolve));
    let end!: (e: Error) => void;
    const never = new Promise<never>((_resolve, reject) => (end = reject));
    const rig = new Rig(session.dir, {
      tenant: session.tenant,
      botOrigin: session.base,
      clock: session.clock,
      obo: (): OboExchanger => ({
        exchange(): Promise<DelegatedToken> {
          asking();
          return never;
        },
      }),
    });
    session.rigs.push(rig);
    return {
      rig,
      asked,
      /** The process is gone: its store closes, then its exchange ends (and can write nothing). */
      async die(exchange: Promise<unknown>): Promise<void> {
        await rig.state.close();
        end(new Error('the process died'));
        await exchange;
      },
    };
  }

  /** The first rig asks for user 0's command; its card's token exchange goes to an instance that
   * dies mid-exchange, once that instance has asked Entra. */
  async function exchangeOnDyingInstance() {
    const r = session.rigs[0]!;
    const dying = dyingInstance();
    const user = r.user(0);
    const card = oauthOf((await r.message(user, `cancel role-request ${r.seed.examples.roleRequestId}`)).sent);
    const exchange = tokenExchange(dying.rig, user, card.id);
    await dying.asked;
    return { r, dying, user, card, exchange };
  }

  it('an instance that dies during the exchange leaves the command waiting: the Sign in button’s pages run it once', async () => {
    const { r, dying, user, card, exchange } = await exchangeOnDyingInstance();

    // Teams shows the card's Sign in button (the exchange never answered); its pages find the
    // command waiting, and verifyState runs it.
    const end = await session.browser.signIn(card.url, { userId: user.aadObjectId });
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
    const verify = await r.invoke(user, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran');
    assert.equal(r.writes()[0]!.tokenClaims?.oid, user.aadObjectId);

    await dying.die(exchange);
    const later = session.rig();
    await session.clock.advance(EXCHANGE_LEASE_MS + 1);
    const again = await tokenExchange(later, user, card.id);
    assert.equal(again.invoke?.status, 200);
    await later.bot.idle();
    assert.equal(r.writes().length, 1, 'it ran once (writes are the shared tenant’s)');
  });

  it('the lease of a dead holder ends: the next exchange runs the command exactly once, none before', async () => {
    const { r, dying, user, card, exchange } = await exchangeOnDyingInstance();
    const next = () => tokenExchange(r, user, card.id);

    // While the holder's lease lasts, another instance's exchange of the same card runs nothing:
    // it looks again for a while, then answers 412, so that client shows the Sign in button
    // (a 200 would hide it, and this holder never answers).
    assert.equal((await next()).invoke?.status, 412);
    await r.bot.idle();
    assert.equal(r.writes().length, 0, 'one exchange at a time');

    await dying.die(exchange);
    await session.clock.advance(EXCHANGE_LEASE_MS + 1);
    assert.equal((await next()).invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran after the lease ended');
    assert.equal(await r.signInFlow.pendingView(card.id), null, 'nothing waits any more');
    assert.equal((await next()).invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'and only once');
  });

  it('a state store that fails as a failed exchange gives the sign-in back leaves the command waiting for the pages', async () => {
    const r = session.rigs[0]!;
    const failing: Rig = new Rig(session.dir, {
      tenant: session.tenant,
      botOrigin: session.base,
      clock: session.clock,
      // Entra refuses (consent missing), and this instance's state store fails as it answers.
      obo: (inner): OboExchanger => ({
        async exchange(ssoToken: string): Promise<DelegatedToken> {
          try {
            return await inner.exchange(ssoToken);
          } finally {
            await failing.state.close();
          }
        },
      }),
    });
    session.rigs.push(failing);
    const { alex, card } = await consentCommand(r);
    const exchange = await tokenExchange(failing, alex, card.id);
    assert.equal(exchange.invoke?.status, 412, 'Teams shows the Sign in button');
    assert.ok(await r.signInFlow.pendingView(card.id), 'the command still waits');

    const end = await session.browser.signIn(card.url, { userId: alex.aadObjectId });
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
    const verify = await r.invoke(alex, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran once');
    assert.equal(r.writes()[0]!.tokenClaims?.oid, alex.aadObjectId);
  });
});
