// A notification card's press that its checks answer without acting (the card has its final word,
// or does not show the item) ends with that answer's one audit line (contract §6: "Every valid
// command that names an operation writes one JSON line to stdout when it ends"), however it came:
// - A card that has its final word was edited for everyone already: its answer needs no token, so
//   a presser with none gets it at once, not a sign-in that would remember the press and answer it
//   again (a second line) when the press comes again with the SSO token or the sign-in completes.
// - A press re-sent with the SSO token after the bot's loginRequest (Universal Actions: the
//   adaptiveCard/action comes again with `authentication` = {id, connectionName, token}, `id` that of
//   the loginRequest's tokenExchangeResource) and refused then: the press that loginRequest
//   remembered ends with the refusal, so nothing of it waits for the periodic pass to end it with a
//   second line, nor for a late signin/failure to offer a Sign in card for it.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// The Action.Submit fallback is answered the same way ("Your Bot should be coded in such a way that
// it can process both Action.Execute and Action.Submit"):
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#teams

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { Rig, User } from './botRig';
import { FakeClock } from './fakeClock';
import { pressWorldPerTest } from './pressWorld';
import { auditLinesOf, expirySweep } from './waitingCommand';

const MINUTE = 60_000;
const FINAL = { text: 'Cancelled by Adele.', style: 'good' as const };

describe('a notification card press answered without acting writes one audit line', () => {
  let clock: FakeClock;
  let r: Rig;
  let megan: User;
  let target: Target;
  let swept: AuditLine[];
  pressWorldPerTest(async (world) => {
    ({ r, clock, megan, target, swept } = world);
    await r.postCard(megan, 'card-1', target);
  });

  /** Every audit line of the test, the periodic pass's (after the sign-in's time is over) included. */
  async function linesAfterExpiry(): Promise<Array<[unknown, unknown]>> {
    await r.bot.idle();
    await clock.advance(26 * MINUTE);
    await expirySweep(r, clock, swept)();
    return [...auditLinesOf(r), ...swept].map((l) => [l.outcome, (l as { refused?: unknown }).refused]);
  }

  const resent = (id: string) =>
    r.click(megan, target, 'card-1', {
      authentication: { id, connectionName: 'GovernanceBotSignIn', token: r.sso(megan) },
    });

  it('a card with its final word, pressed with no token: the final word at once, no sign-in, one line', async () => {
    await r.bindings.settle(r.conversationOf(megan), 'card-1', FINAL);
    const answer = await r.click(megan, target, 'card-1');
    assert.equal(answer.body.statusCode, 200, JSON.stringify(answer.body));
    assert.match(JSON.stringify(answer.body.value), /Cancelled by Adele/);
    assert.equal(await r.signInFlow.latestFor(megan.aadObjectId), null, 'no press remembered for a sign-in');
    assert.deepEqual(await linesAfterExpiry(), [['failed', 'cardSettled']]);
    assert.equal(r.writes().length, 0);
  });

  it('the same by Action.Submit: the final word, no Sign in card, one line', async () => {
    await r.bindings.settle(r.conversationOf(megan), 'card-1', FINAL);
    const pressed = await r.message(megan, '', { text: undefined, value: pressedData(target), replyToId: 'card-1' });
    const sent = JSON.stringify(pressed.sent);
    assert.ok(!sent.includes('card.oauth'), `no Sign in card: ${sent}`);
    assert.match(sent, /Cancelled by Adele/);
    assert.equal(await r.signInFlow.latestFor(megan.aadObjectId), null);
    assert.deepEqual(await linesAfterExpiry(), [['failed', 'cardSettled']]);
  });

  it('the card got its final word after the loginRequest: the re-sent press ends the remembered one', async () => {
    const login = await r.click(megan, target, 'card-1');
    assert.equal(login.body.statusCode, 401, JSON.stringify(login.body));
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    await r.bindings.settle(r.conversationOf(megan), 'card-1', FINAL);
    const again = await resent(id);
    assert.equal(again.body.statusCode, 200, JSON.stringify(again.body));
    assert.match(JSON.stringify(again.body.value), /Cancelled by Adele/);
    assert.equal(await r.signInFlow.pendingView(id), null, 'nothing waits for the sign-in pages');
    const failure = await r.invoke(megan, 'signin/failure', { code: 'resourcematchfailed', message: 'x' });
    assert.equal(failure.invoke?.status, 200);
    assert.deepEqual(failure.sent, [], `no Sign in card offered for it: ${JSON.stringify(failure.sent)}`);
    assert.deepEqual(await linesAfterExpiry(), [['failed', 'cardSettled']]);
    assert.equal(r.writes().length, 0);
  });

  // The remembered press ended with the refusal, so nothing ran: when the same press comes again
  // with that id (a Teams retry, another window) or the person finishes the sign-in pages for it,
  // they are told it was answered, never that it ran (which would send them looking for a result).
  it('the refused press re-sent again is told it was answered on its card, not that it ran', async () => {
    const login = await r.click(megan, target, 'card-1');
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    await r.bindings.settle(r.conversationOf(megan), 'card-1', FINAL);
    await resent(id);
    const again = await resent(id);
    const said = JSON.stringify(again.body.value);
    assert.match(said, /already answered on its card; nothing was run/, said);
    assert.doesNotMatch(said, /already ran/, said);
    assert.deepEqual(await linesAfterExpiry(), [['failed', 'cardSettled']]);
    assert.equal(r.writes().length, 0);
  });

  it('the sign-in pages finished for a refused press: verifyState says it was answered, not that it ran', async () => {
    const login = await r.click(megan, target, 'card-1');
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    await r.bindings.settle(r.conversationOf(megan), 'card-1', FINAL);
    await resent(id);
    const state = await r.signInStates.issueVerify(id, megan.aadObjectId);
    const verify = await r.invoke(megan, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 200);
    const said = JSON.stringify(verify.sent);
    assert.match(said, /already answered on its card; nothing was run/, said);
    assert.doesNotMatch(said, /already ran/, said);
    assert.deepEqual(await linesAfterExpiry(), [['failed', 'cardSettled']]);
    assert.equal(r.writes().length, 0);
  });

  it('a re-sent press the card no longer shows (cardBinding): the refusal is its one line', async () => {
    const login = await r.click(megan, target, 'card-1');
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    // The card is bound afresh meanwhile, to another item.
    await r.postCard(megan, 'card-1', {
      operation: 'cancelRoleRequest',
      ids: { requestId: '00000000-0000-0000-0000-0000000000cc' },
    });
    const again = await resent(id);
    assert.equal(again.body.statusCode, 400, JSON.stringify(again.body));
    assert.equal(await r.signInFlow.pendingView(id), null, 'nothing waits for the sign-in pages');
    assert.deepEqual(await linesAfterExpiry(), [['failed', 'cardBinding']]);
    assert.equal(r.writes().length, 0);
  });

  it("a refused re-sent press naming another of the user's remembered presses leaves that one waiting", async () => {
    const other: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: '00000000-0000-0000-0000-0000000000bb' },
    };
    await r.postCard(megan, 'card-2', other);
    const login = await r.click(megan, other, 'card-2');
    const otherId = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    await r.bindings.settle(r.conversationOf(megan), 'card-1', FINAL);
    const again = await resent(otherId);
    assert.equal(again.body.statusCode, 200, JSON.stringify(again.body));
    assert.ok(await r.signInFlow.pendingView(otherId), 'the other press still waits for its sign-in');
  });
});
