// Could a typed command cut short at shutdown run twice when the store reports that giving its mark
// back failed although the delete landed (its answer lost, as on Azure)? The turn runs on only when
// its mark is then seen to stand at the version it wrote (src/state/turnDedup.ts giveBack); the
// delete landed, so the check finds no mark, or the fresh one of a redelivery that came meanwhile,
// and the turn stays given up: the decision reaches Graph once, sent by the redelivery, and the cut
// turn answers only while no redelivery has begun, saying nothing was sent.

import { strict as assert } from 'node:assert';
import { Records } from '../../src/state/port';
import { TurnDedup } from '../../src/state/turnDedup';
import { deleteLandsThenFails } from '../fixtures/lostDeletes';
import { Rig, cardsOf } from './botRig';
import { cutPairPerTest, holdFirstGraph } from './cutTurns';
import { FINANCE_REPORTS } from './twoStageCard';

describe('commands: a turn given up at shutdown whose mark was deleted though the store said it failed', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  let lost: ReturnType<typeof deleteLandsThenFails>;
  cutPairPerTest(
    (p) => ({ a, b, turns } = p),
    undefined,
    () => (records: Records) => (lost = deleteLandsThenFails(records)).records,
  );

  const patches = () => a.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const typed = `approve access-request ${FINANCE_REPORTS}`;

  it('no redelivery yet: the cut turn sends nothing and says so, the redelivery decides once', async () => {
    const lynne = a.user(5);
    const read = holdFirstGraph(a, 'GET');
    const cut = a.message(lynne, typed, { id: 'act-lost-answer' });
    await read.came;
    const giving = turns.giveUp();
    await lost.landed;
    lost.answer();
    await assert.rejects(giving, /no answer in time/, 'the stop reports the failure');
    read.release();
    const late = await cut;
    assert.equal(patches().length, 0, 'the given-up turn sent no decision');
    assert.match(cardsOf(late.sent), /restarting before it sent this to Microsoft Graph, so nothing was sent/);
    const again = await b.message(lynne, typed, { id: 'act-lost-answer' });
    assert.ok(!b.logs.some((l) => l.event === 'bot.turn.duplicate'), 'the redelivery is not dropped');
    assert.match(cardsOf(again.sent), /Approved/, cardsOf(again.sent));
    assert.equal(patches().length, 1, 'the decision reaches Graph once');
  });

  it('the redelivery marked and decided before the failure came: the cut turn sends and says nothing', async () => {
    const lynne = a.user(5);
    const read = holdFirstGraph(a, 'GET');
    const cut = a.message(lynne, typed, { id: 'act-lost-answer-redelivered' });
    await read.came;
    const giving = turns.giveUp();
    await lost.landed;
    const again = await b.message(lynne, typed, { id: 'act-lost-answer-redelivered' });
    assert.match(cardsOf(again.sent), /Approved/, cardsOf(again.sent));
    lost.answer();
    await assert.rejects(giving, /no answer in time/, 'the stop reports the failure');
    read.release();
    const late = await cut;
    assert.deepEqual(late.sent, [], 'one answer: the redelivery’s');
    assert.equal(patches().length, 1, 'the decision reaches Graph once');
  });
});
