// A card's button pressed on a client without Universal Actions arrives as a message with the
// button's data as its value (Action.Submit,
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#action-submit),
// so Teams delivers it again when it did not see it answered: "If the bot activity takes more than
// 15 seconds to process, Teams send a retry request to bot endpoint"
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics). A press cut short at
// shutdown while it read Graph, before it took the item's claim, gives its duplicate mark back: the
// redelivery, on another instance over the same store, acts (it was dropped as a duplicate, and
// the decision silently lost); the given-up press then takes no claim, sends no decision and posts
// nothing. A press whose write was already under way keeps its mark: the decision is sent once.

import { strict as assert } from 'node:assert';
import { buttonData } from '../../src/bot/cardActions';
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
    rig.message(user, '', { text: undefined, value: buttonData(APPROVE), replyToId: 'card-cut', id });

  it('cut during its read: the redelivery acts elsewhere, the cut press sends and posts nothing', async () => {
    const lynne = a.user(5);
    await a.postCard(lynne, 'card-cut', APPROVE);
    const read = holdFirstGraph(a, 'GET');
    const cut = press(a, lynne, 'press-cut-before');
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    read.release();
    const late = await cut;
    assert.deepEqual(late.sent, [], cardsOf(late.sent));
    assert.equal(writes().length, 0, 'the given-up press sent no decision');
    assert.ok(a.logs.some((l) => l.event === 'bot.turn.givenUp'));
    const again = await press(b, lynne, 'press-cut-before');
    assert.ok(!b.logs.some((l) => l.event === 'bot.turn.duplicate'), 'the redelivery is not dropped');
    assert.match(cardsOf([...again.sent, ...b.updates]), /[Aa]pproved/, cardsOf(again.sent));
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
