// A card's button press that the bot's own state store fails before it could act (the press not
// remembered for its presser's sign-in, or their sign-out mark not read) ends there, as a typed
// command does (commands.oneAuditLine.test.ts): the presser gets a card saying the bot's storage
// failed and to press again in a moment, with the card's buttons kept (nothing changed), and an
// operation writes its one audit line (contract §6), SIGN_IN_REQUIRED, with its `via` and card and
// the reference the presser was given as its correlation id. An Action.Execute press is answered
// 200 with the card (type application/vnd.microsoft.card.adaptive), which replaces the presser's
// copy, not a turn error:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format
// Its Action.Submit fallback gets the card as a message, without buttons.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { pressedData } from '../fixtures/pressedData';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import type { Records } from '../../src/state/port';
import { Rig, User, cardsOf } from './botRig';
import { failing, failingOn } from './failingStore';
import { FakeClock } from './fakeClock';
import { keepRequestsShowing, pressList, signedOutAtGraphPage } from './listSession';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf, expirySweep } from './waitingCommand';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** The words of a press the store failed: the storage, press again in a moment, never done. The
 * invoke's answer is the presser's copy of the card, whose buttons stay; an Action.Submit press's is
 * a message of its own, no card the bot posted (a press on it is refused): it has none, and says the
 * pressed card's button is the one to press again (cardClicks.submitAnswers.test.ts). */
function saysStoreDown(said: string, answer: 'invoke' | 'message' = 'invoke'): void {
  assert.match(said, /could not use its own storage/i, said);
  assert.match(said, /nothing was changed/i);
  assert.match(said, /Press the button again in a moment/i);
  assert.doesNotMatch(said, /could not get a token/i, 'no token was asked for: the storage failed');
  assert.doesNotMatch(said, /\bdone\b|Cancelled|sign out of Teams/i);
  if (answer === 'invoke') return assert.ok(said.includes('Action.Execute'), `the buttons stay: ${said}`);
  assert.ok(!said.includes('Action.Execute') && !said.includes('Action.Submit'), `no buttons: ${said}`);
  assert.match(said, /to try again, press the pressed card's button again/, said);
}

/** The press's one audit line: SIGN_IN_REQUIRED, with its via and card, and the reference said. */
function oneLine(r: Rig, before: number, via: string, cardId: string, said: string): void {
  const lines = auditLinesOf(r).slice(before);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  const line = lines[0]!;
  assert.equal(line.errorCode, 'SIGN_IN_REQUIRED');
  assert.equal(line.outcome, 'failed');
  assert.equal(line.graphStatus, null);
  assert.equal(line.via, via);
  assert.equal(line.activityId, cardId);
  assert.ok(said.includes(String(line.correlationId)), 'the reference the presser was given');
  assert.equal(r.writes().length, 0, 'nothing sent to Graph');
  assert.ok(!r.logs.some((l) => l.event === 'bot.invoke.failed' || l.event === 'bot.turn.failed'), 'no turn error');
}

describe("a card's button press the state store fails", () => {
  let r: Rig;
  let megan: User;
  let target: Target;
  const pending = { records: null as (Records & { failing: boolean }) | null };
  const marks = { records: null as (Records & { failing: boolean }) | null };
  rigPerTest(
    async (rig) => {
      r = rig;
      megan = r.user(0);
      target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
      await r.postCard(megan, 'card-1', target);
    },
    {
      pendingRecords: (inner) => (pending.records = failing(inner)),
      signOutRecords: (inner) => (marks.records = failing(inner, true)),
    },
  );

  it('Action.Execute, the press not remembered for sign-in: the card for the presser, and its one line', async () => {
    pending.records!.failing = true;
    const press = await r.click(megan, target, 'card-1');
    assert.equal(press.status, 200);
    assert.equal(press.body.statusCode, 200, JSON.stringify(press.body));
    assert.equal(press.body.type, ADAPTIVE);
    const said = JSON.stringify(press.body.value);
    saysStoreDown(said);
    oneLine(r, 0, 'card.execute', 'card-1', said);
  });

  it("Action.Execute, the presser's sign-out mark not read: the card for the presser, and its one line", async () => {
    await r.signIn(megan);
    const before = auditLinesOf(r).length;
    marks.records!.failing = true;
    const press = await r.click(megan, target, 'card-1');
    assert.equal(press.body.statusCode, 200, JSON.stringify(press.body));
    assert.equal(press.body.type, ADAPTIVE);
    const said = JSON.stringify(press.body.value);
    saysStoreDown(said);
    oneLine(r, before, 'card.execute', 'card-1', said);
  });

  it('a press Teams re-sent after a loginRequest: the card, and no line of its own; the press its sign-in remembers writes it', async () => {
    const login = await r.click(megan, target, 'card-1');
    const id = (login.body.value as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    await r.signIn(megan);
    const before = auditLinesOf(r).length;
    marks.records!.failing = true;
    const authentication = { id, connectionName: '', token: r.sso(megan) };
    const press = await r.click(megan, target, 'card-1', { authentication });
    assert.equal(press.body.type, ADAPTIVE, JSON.stringify(press.body));
    saysStoreDown(JSON.stringify(press.body.value));
    assert.equal(auditLinesOf(r).length, before, 'no line: the remembered press has not ended');
    marks.records!.failing = false;
    await r.message(megan, 'sign out');
    const lines = auditLinesOf(r).slice(before);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]!.abandoned, 'signedOut');
  });

  it('Action.Submit, the press not remembered: a message without buttons, and its one line', async () => {
    pending.records!.failing = true;
    const pressed = await r.message(megan, '', { text: undefined, value: pressedData(target), replyToId: 'card-1' });
    const messages = pressed.sent.filter((a: Partial<Activity>) => a.type === 'message');
    assert.equal(messages.length, 1, JSON.stringify(messages));
    assert.deepEqual(
      (messages[0]!.attachments ?? []).map((a) => a.contentType),
      [ADAPTIVE],
    );
    const said = cardsOf(messages);
    saysStoreDown(said, 'message');
    oneLine(r, 0, 'card.submit', 'card-1', said);
  });

  it("a list row's Action.Execute press not remembered: the list for the presser, the row's notice, its one line", async () => {
    await keepRequestsShowing(r, megan, 'list-1', target);
    await r.postCard(megan, 'list-1', target);
    pending.records!.failing = true;
    const body = await pressList(r, megan, 'list-1', pressedData(target, { list: 'requests' }));
    assert.equal(body.statusCode, 200, JSON.stringify(body));
    assert.equal(body.type, ADAPTIVE);
    const said = JSON.stringify(body.value);
    saysStoreDown(said);
    oneLine(r, 0, 'list.execute', 'list-1', said);
  });

  it("a list row's Action.Submit press whose sign-out mark is not read: a message without buttons, its one line", async () => {
    await keepRequestsShowing(r, megan, 'list-1', target);
    await r.postCard(megan, 'list-1', target);
    await r.signIn(megan);
    const before = auditLinesOf(r).length;
    marks.records!.failing = true;
    const data = pressedData(target, { list: 'requests' });
    const pressed = await r.message(megan, '', { text: undefined, value: data, replyToId: 'list-1' } as never);
    const said = cardsOf(pressed.sent.filter((a: Partial<Activity>) => a.type === 'message'));
    saysStoreDown(said, 'message');
    oneLine(r, before, 'list.submit', 'list-1', said);
  });

  it("a list's More that needs Graph, not remembered: the list as it was for the presser, no line", async () => {
    const { cardId, more } = await signedOutAtGraphPage(r);
    const before = auditLinesOf(r).length;
    pending.records!.failing = true;
    const body = await pressList(r, megan, cardId, more);
    assert.equal(body.statusCode, 200, JSON.stringify(body));
    assert.equal(body.type, ADAPTIVE);
    saysStoreDown(JSON.stringify(body.value));
    assert.equal(auditLinesOf(r).length, before, 'a page names no operation');
    assert.ok(!r.logs.some((l) => l.event === 'bot.invoke.failed'), 'no turn error');
  });
});

// A press remembered partway (signIns.ts add writes its records one after another) ends with its
// one line: the expiry pass finds nothing of it to end with a second.
describe("a card's button press the state store fails partway through remembering", () => {
  let r: Rig;
  const clock = new FakeClock();
  const pending = { records: null as (Records & { failing: boolean }) | null };
  rigPerTest(
    async (rig) => {
      r = rig;
      const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
      await r.postCard(r.user(0), 'card-1', target);
    },
    { clock, pendingRecords: (inner) => (pending.records = failingOn(inner, (k) => k.startsWith('signin-user:'))) },
  );

  it('Action.Execute: the card for the presser, its one line, none from the expiry pass', async () => {
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    pending.records!.failing = true;
    const press = await r.click(r.user(0), target, 'card-1');
    pending.records!.failing = false;
    assert.equal(press.body.type, ADAPTIVE, JSON.stringify(press.body));
    const said = JSON.stringify(press.body.value);
    saysStoreDown(said);
    oneLine(r, 0, 'card.execute', 'card-1', said);
    const swept: AuditLine[] = [];
    await clock.advance(30 * 60_000);
    await expirySweep(r, clock, swept)();
    assert.deepEqual(swept, [], 'the expiry pass ends nothing: the press ended with its line');
  });
});
