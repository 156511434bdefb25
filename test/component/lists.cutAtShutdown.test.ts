// A typed list command ("my approvals") cut short at shutdown (the drain's deadline passed with its
// Graph read still under way) and Teams delivering it again: "If the bot activity takes more than
// 15 seconds to process, Teams send a retry request to bot endpoint"
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics). A list only reads
// Graph, so the turn gives its duplicate mark back when it is given up: the redelivery, on another
// instance over the same store, posts the list (it was dropped as a duplicate, and the list never
// came). The given-up turn posts no list once its read answers; it says the list was not posted
// only while no redelivery has begun (Teams documents a retry of a turn slower than 15 s, not of
// one whose connection a stop dropped), so the person gets one list, and never silence.

import { strict as assert } from 'node:assert';
import { TurnDedup } from '../../src/state/turnDedup';
import { Rig, User, cardsOf } from './botRig';
import { cutPairPerTest, holdFirstGraph, tokenRefused } from './cutTurns';
import { contentOf, firstRowApprove } from './listSession';

describe('lists: a typed list command cut short at shutdown and delivered again', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  cutPairPerTest((p) => ({ a, b, turns } = p));

  it('cut during its read, no redelivery yet: the cut turn says the list was not posted, the redelivery posts it', async () => {
    const lynne = a.user(5);
    const read = holdFirstGraph(a);
    const cut = a.message(lynne, 'my approvals', { id: 'act-list-cut' });
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    read.release();
    const late = await cut;
    assert.equal(late.sent.length, 1, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /List not posted/, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /If no list follows, send \\"my approvals\\" again/, cardsOf(late.sent));
    assert.doesNotMatch(cardsOf(late.sent), /Approve/, 'the given-up turn posts no list');
    assert.ok(a.logs.some((l) => l.event === 'bot.turn.givenUp'));
    const again = await b.message(lynne, 'my approvals', { id: 'act-list-cut' });
    assert.equal(again.sent.length, 1, cardsOf(again.sent));
    assert.match(cardsOf(again.sent), /Approve/, cardsOf(again.sent));
    assert.ok(!b.logs.some((l) => l.event === 'bot.turn.duplicate'), 'the redelivery is not dropped');
  });

  it('cut during its read, its read answering after the redelivery began: the cut turn posts nothing', async () => {
    const lynne = a.user(5);
    const read = holdFirstGraph(a);
    const cut = a.message(lynne, 'my approvals', { id: 'act-list-redelivered' });
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    const again = await b.message(lynne, 'my approvals', { id: 'act-list-redelivered' });
    assert.match(cardsOf(again.sent), /Approve/, cardsOf(again.sent));
    read.release();
    const late = await cut;
    assert.deepEqual(late.sent, [], 'one answer: the redelivery’s');
    assert.ok(a.logs.some((l) => l.event === 'bot.turn.givenUp'));
  });

  it('not cut: the redelivery is dropped and the list comes once', async () => {
    const lynne = a.user(5);
    const first = await a.message(lynne, 'my approvals', { id: 'act-list-whole' });
    assert.equal(first.sent.length, 1);
    assert.equal(await turns.giveUp(), 0, 'no turn under way');
    const again = await b.message(lynne, 'my approvals', { id: 'act-list-whole' });
    assert.deepEqual(again.sent, [], 'the redelivery is dropped');
    assert.ok(b.logs.some((l) => l.event === 'bot.turn.duplicate'));
  });
});

// Graph refusing the list read's token (401, https://learn.microsoft.com/en-us/graph/errors) asks
// the person to sign in again and keeps the list for after it; a turn given up while that read was
// under way keeps nothing and asks for no sign-in: its redelivery posts the list elsewhere. It says
// the list was not posted, as no redelivery has begun.
describe('lists: a typed list command given up at shutdown whose read Graph then refuses for its token', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  cutPairPerTest(
    (p) => ({ a, b, turns } = p),
    () => ({}),
  );

  it('no Sign in card and no list kept on the given-up turn, which says so; the redelivery posts the list', async () => {
    const lynne = a.user(5);
    await a.signIn(lynne);
    await b.signIn(lynne);
    const { came, release } = holdFirstGraph(a, undefined, tokenRefused);
    const cut = a.message(lynne, 'my approvals', { id: 'act-list-cut-401' });
    await came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    release();
    const late = await cut;
    assert.equal(late.sent.length, 1, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /List not posted/, cardsOf(late.sent));
    assert.doesNotMatch(cardsOf(late.sent), /Sign in/, 'no Sign in card');
    assert.ok(a.logs.some((l) => l.event === 'bot.turn.givenUp'));
    const again = await b.message(lynne, 'my approvals', { id: 'act-list-cut-401' });
    assert.equal(again.sent.length, 1, cardsOf(again.sent));
    assert.match(cardsOf(again.sent), /Approve/, cardsOf(again.sent));
  });
});

// A row's button pressed on a client without Universal Actions is a message (Action.Submit,
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#action-submit):
// cut short while it reads Graph, before it takes the item's claim, it gives its mark back; the
// redelivery acts elsewhere, and the given-up press sends no decision. It says nothing was sent
// only while no redelivery has begun (Teams documents a retry of a turn slower than 15 s, not of
// one whose connection a stop dropped), and otherwise shows nothing.
describe('lists: a row pressed with Action.Submit, cut short at shutdown and delivered again', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  cutPairPerTest((p) => ({ a, b, turns } = p));

  const writes = () => a.tenant.graphRequests().filter((q) => q.method !== 'GET');
  const listed = async (lynne: User) => {
    const list = (await a.message(lynne, 'my approvals')).sent.find((x) => x.attachments?.length)!;
    a.tenant.clearLog();
    const value = firstRowApprove(contentOf(list));
    return (rig: Rig, id: string) => rig.message(lynne, '', { text: undefined, value, replyToId: list.id!, id });
  };

  it('cut during its read, no redelivery yet: the cut press sends nothing and says so, the redelivery acts', async () => {
    const press = await listed(a.user(5));
    const read = holdFirstGraph(a, 'GET');
    const cut = press(a, 'row-cut');
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    read.release();
    const late = await cut;
    assert.match(cardsOf(late.sent), /restarting before it sent this to Microsoft Graph, so nothing was sent/);
    assert.equal(writes().length, 0, 'the given-up press sent no decision');
    await press(b, 'row-cut');
    assert.ok(!b.logs.some((l) => l.event === 'bot.turn.duplicate'), 'the redelivery is not dropped');
    assert.equal(writes().length, 1, 'the decision is sent once');
  });

  it('cut during its read, its read answering after the redelivery began: the cut press shows nothing', async () => {
    const press = await listed(a.user(5));
    const read = holdFirstGraph(a, 'GET');
    const cut = press(a, 'row-cut-redelivered');
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    await press(b, 'row-cut-redelivered');
    assert.equal(writes().length, 1, 'the redelivery sent the decision');
    read.release();
    const late = await cut;
    assert.deepEqual(late.sent, [], 'one answer: the redelivery’s');
    assert.deepEqual(a.updates, [], 'no edit from the given-up press');
    assert.ok(a.logs.some((l) => l.event === 'bot.turn.givenUp'));
    assert.equal(writes().length, 1, 'the decision is sent once');
  });
});
