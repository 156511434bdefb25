// A typed command cut short at shutdown (the drain's deadline passed with it still under way) and
// Teams delivering it again: "If the bot activity takes more than 15 seconds to process, Teams
// send a retry request to bot endpoint" (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics).
// A turn that had sent nothing gives its duplicate mark back when it is given up, so the
// redelivery, on another instance over the same store, runs the command (it was dropped as a
// duplicate, the command silently lost); the given-up turn can then no longer send its write. A
// turn whose write was already under way keeps its mark: the redelivery is dropped, and the
// decision is sent once (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { TurnDedup } from '../../src/state/turnDedup';
import { Rig, cardsOf } from './botRig';
import { cutPairPerTest, holdFirstGraph } from './cutTurns';
import { FINANCE_REPORTS } from './twoStageCard';

describe('commands: a turn cut short at shutdown and delivered again', () => {
  let a: Rig;
  let b: Rig;
  let turns: TurnDedup;
  cutPairPerTest((p) => ({ a, b, turns } = p));

  const patches = () => a.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const typed = `approve access-request ${FINANCE_REPORTS}`;

  it('cut before its write: the redelivery runs the command elsewhere, the cut turn sends nothing', async () => {
    const lynne = a.user(5);
    const read = holdFirstGraph(a, 'GET');
    const cut = a.message(lynne, typed, { id: 'act-cut-before' });
    await read.came;
    assert.equal(await turns.giveUp(), 1, 'the mark is given back');
    // The read answers after the stop gave the turn up: it sends nothing, and says so.
    read.release();
    const late = await cut;
    assert.equal(patches().length, 0, 'the given-up turn sent no decision');
    assert.match(cardsOf(late.sent), /restarting before it sent this to Microsoft Graph, so nothing was sent/);
    const again = await b.message(lynne, typed, { id: 'act-cut-before' });
    assert.match(cardsOf(again.sent), /Approved/, cardsOf(again.sent));
    assert.equal(patches().length, 1, 'the decision is sent once');
    assert.ok(
      a.logs.some((l) => l.event === 'governance.action' && l.outcome === 'failed'),
      'the cut attempt has its audit line',
    );
  });

  it('cut after its write started: the redelivery is dropped, the decision is sent once', async () => {
    const lynne = a.user(5);
    const write = holdFirstGraph(a, 'PATCH');
    const cut = a.message(lynne, typed, { id: 'act-cut-after' });
    await write.came;
    assert.equal(await turns.giveUp(), 0, 'the mark is kept');
    const again = await b.message(lynne, typed, { id: 'act-cut-after' });
    assert.deepEqual(again.sent, [], 'the redelivery is dropped');
    assert.ok(b.logs.some((l) => l.event === 'bot.turn.duplicate'));
    write.release();
    const done = await cut;
    assert.match(cardsOf(done.sent), /Approved/, cardsOf(done.sent));
    assert.equal(patches().length, 1, 'the decision is sent once');
  });
});
