// A card's button pressed on a client without Universal Actions arrives as a message with the
// button's data as its value (Action.Submit,
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#action-submit),
// so Teams delivers it again when it did not see it answered: "If the bot activity takes more than
// 15 seconds to process, Teams send a retry request to bot endpoint"
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics). A press cut short at
// shutdown while it read Graph, before it took the item's claim, gives its duplicate mark back: the
// redelivery, on another instance over the same store, acts (it was dropped as a duplicate, and
// the decision silently lost); the given-up press then takes no claim and sends no decision, and
// says nothing was sent only while no redelivery has begun. A press whose write was already under
// way keeps its mark: the decision is sent once.

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import { TurnDedup } from '../../src/state/turnDedup';
import { Rig, User, cardsOf } from './botRig';
import { cutPairPerTest, holdFirstGraph } from './cutTurns';
import { FINANCE_REPORTS, approveOf } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE_REPORTS);

describe('card presses: an Action.Submit press cut short at shutdown and delivered again', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  cutPairPerTest((p) => ({ a, b, turns } = p));

  const writes = () => a.tenant.graphRequests().filter((q) => q.method !== 'GET');
  const press = (rig: Rig, user: User, id: string) =>
    rig.message(user, '', { text: undefined, value: pressedData(APPROVE), replyToId: 'card-cut', id });

  it('cut during its read, no redelivery yet: the cut press sends nothing and says so, the redelivery acts', async () => {
    const lynne = a.user(5);
    await a.postCard(lynne, 'card-cut', APPROVE);
    const read = holdFirstGraph(a, 'GET');
    const cut = press(a, lynne, 'press-cut-before');
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    read.release();
    const late = await cut;
    // No redelivery has begun: Teams documents a retry of a slow turn, not of one whose connection
    // the stop dropped, so the press says nothing was sent rather than nothing at all.
    assert.match(cardsOf(late.sent), /restarting before it sent this to Microsoft Graph, so nothing was sent/);
    assert.equal(writes().length, 0, 'the given-up press sent no decision');
    const again = await press(b, lynne, 'press-cut-before');
    assert.ok(!b.logs.some((l) => l.event === 'bot.turn.duplicate'), 'the redelivery is not dropped');
    assert.match(cardsOf([...again.sent, ...b.updates]), /[Aa]pproved/, cardsOf(again.sent));
    assert.equal(writes().length, 1, 'the decision is sent once');
  });

  it('cut during its read, its read answering after the redelivery began: the cut press posts nothing', async () => {
    const lynne = a.user(5);
    await a.postCard(lynne, 'card-cut', APPROVE);
    const read = holdFirstGraph(a, 'GET');
    const cut = press(a, lynne, 'press-cut-redelivered');
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    const again = await press(b, lynne, 'press-cut-redelivered');
    assert.match(cardsOf([...again.sent, ...b.updates]), /[Aa]pproved/, cardsOf(again.sent));
    read.release();
    const late = await cut;
    assert.deepEqual(late.sent, [], 'one answer: the redelivery’s');
    assert.ok(a.logs.some((l) => l.event === 'bot.turn.givenUp'));
    assert.equal(writes().length, 1, 'the decision is sent once');
  });

  it('cut after its write started: the redelivery is dropped, the decision is sent once', async () => {
    const lynne = a.user(5);
    await a.postCard(lynne, 'card-cut', APPROVE);
    const write = holdFirstGraph(a, 'PATCH');
    const cut = press(a, lynne, 'press-cut-after');
    await write.came;
    assert.equal(await turns.giveUp(), 0, 'the mark is kept');
    const again = await press(b, lynne, 'press-cut-after');
    assert.deepEqual(again.sent, [], 'the redelivery is dropped');
    assert.ok(b.logs.some((l) => l.event === 'bot.turn.duplicate'));
    write.release();
    await cut;
    await a.cardActions.idle();
    assert.equal(writes().length, 1, 'the decision is sent once');
  });
});
