// signin/verifyState for a sign-in whose command is no longer waiting. The user may have the card
// in several Teams clients: one client's silent token exchange can run the command while the user
// signs in on the card's pages in another, and Teams still sends that page's signin/verifyState.
// The user must then hear that the command already ran (sending it again would run it twice: a
// second cancel, a second approval attempt), while a sign-in that is gone without running (expired,
// or forgotten by a sign out) keeps "send your command again". In process: the real handler, the
// bot's sign-in pages and the simulated tenant (signInFlowSession.ts).
// Microsoft docs pinned here:
// - Teams sends signin/tokenExchange from every client that shows the OAuth card, and the bot must
//   de-duplicate them: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// - the end page's notifySuccess leads Teams to send signin/verifyState:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import { strict as assert } from 'node:assert';
import { bodyData } from '../fixtures/signInBrowser';
import { cardsOf } from './botRig';
import { consentCommand, signInFlowSession, tokenExchange } from './signInFlowSession';

describe('sign-in that never dead-ends: verifyState after the command ran from another client', function () {
  this.timeout(20_000);
  const session = signInFlowSession();

  /** Alex's command waits for consent: the first exchange was refused and the page signed in. */
  async function signedInOnThePage() {
    const r = session.rigs[0]!;
    const { alex, card } = await consentCommand(r);
    const refused = await tokenExchange(r, alex, card.id);
    assert.equal(refused.invoke?.status, 412);
    const end = await session.browser.signIn(card.url, { userId: alex.aadObjectId });
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
    return { r, alex, card, state: bodyData(end.body, 'state')! };
  }

  it('another client’s token exchange ran it: verifyState says it ran, not "send it again", and nothing runs twice', async () => {
    const { r, alex, card, state } = await signedInOnThePage();
    // Consent is granted now: the card's exchange from the user's other client succeeds and runs it.
    const other = await tokenExchange(r, alex, card.id);
    assert.equal(other.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran');

    const verify = await r.invoke(alex, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    const said = cardsOf(verify.sent);
    assert.match(said, /already ran/);
    assert.doesNotMatch(said, /Send your command again/);
    assert.equal(r.writes().length, 1, 'it ran once');
  });

  it('another verifyState ran it (the page in another window): the second says it ran', async () => {
    const { r, alex, card, state } = await signedInOnThePage();
    // The same sign-in completed in a second window too: its end page handed Teams its own state.
    const secondState = await r.signInStates.issueVerify(card.id, alex.aadObjectId);
    const verify = await r.invoke(alex, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran');

    const second = await r.invoke(alex, 'signin/verifyState', { state: secondState });
    assert.equal(second.invoke?.status, 200);
    await r.bot.idle();
    const said = cardsOf(second.sent);
    assert.match(said, /already ran/);
    assert.doesNotMatch(said, /Send your command again/);
    assert.equal(r.writes().length, 1, 'it ran once');
  });

  it('a sign out forgot it: verifyState keeps "send your command again", and nothing runs', async () => {
    const { r, alex, state } = await signedInOnThePage();
    await r.message(alex, 'sign out');
    const verify = await r.invoke(alex, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    const said = cardsOf(verify.sent);
    assert.match(said, /Send your command again/);
    assert.doesNotMatch(said, /already ran/);
    assert.equal(r.writes().length, 0);
  });

  it('a token exchange of a card whose command ran: 200 with nothing shown, logged as already ran, not as an unknown id', async () => {
    // A 200 to signin/tokenExchange makes Teams show nothing more for the card (bot-sso-code above);
    // the log must tell an operator that the sign-in ran, not that a card the bot never sent came in.
    const { r, alex, card, state } = await signedInOnThePage();
    await r.invoke(alex, 'signin/verifyState', { state });
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'the command ran');

    const late = await r.invoke(alex, 'signin/tokenExchange', { id: card.id, connectionName: '', token: r.sso(alex) });
    assert.equal(late.invoke?.status, 200);
    assert.deepEqual(late.sent, [], 'nothing posted');
    await r.bot.idle();
    assert.equal(r.writes().length, 1, 'it ran once');
    const ignored = r.logs.filter((l) => l['event'] === 'signin.tokenExchange.ignored').map((l) => l['why']);
    assert.deepEqual(ignored, ['alreadyRan']);

    // An id the bot never sent (or a sign-in gone without running) is still an unknown id.
    const unknown = await r.invoke(alex, 'signin/tokenExchange', {
      id: 'never-sent',
      connectionName: '',
      token: r.sso(alex),
    });
    assert.equal(unknown.invoke?.status, 200);
    const whys = r.logs.filter((l) => l['event'] === 'signin.tokenExchange.ignored').map((l) => l['why']);
    assert.deepEqual(whys, ['alreadyRan', 'unknownId']);
  });
});
