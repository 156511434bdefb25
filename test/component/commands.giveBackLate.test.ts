// Could a typed command cut short at shutdown run twice when the store reports that giving its mark
// back failed, and the delete lands after all, once the stop has looked at the mark? On Azure a
// delete cut at its deadline may still be on its way to the store, and land after the caller was
// told it failed. The stop then sees the mark stand and the turn runs on (src/state/turnDedup.ts
// giveBack); were the mark left at the version the late delete names, that delete would take it,
// and Teams' redelivery would run the command on another instance too: two cancels sent to Graph
// for one message, and two answers. The stop writes the mark over at the version it saw instead,
// so the late delete finds another version and deletes nothing: the redelivery is dropped, and the
// command reaches Graph once, from the turn that ran on, which answers. A late delete that lands
// before the mark is written over makes that write fail: the turn then stays given up, and the
// redelivery runs the command once.

import { strict as assert } from 'node:assert';
import { deleteFailsThenLands } from '../fixtures/lostDeletes';
import { Rig, cardsOf } from './botRig';
import { cutAtSignOutReadPerTest, holdFirstGraph } from './cutTurns';

const MEGAN = 0;
const cancelOf = (rig: Rig) => `cancel role-request ${rig.seed.examples.roleRequestId}`;
const writesOf = (rig: Rig) => rig.tenant.graphRequests().filter((q) => q.method !== 'GET');

/** The pair for each test: `a`'s marks deleted late as above, its typed command cut while it reads
 * its sender's sign-out mark, before its cancel. */
function latePerTest(holdReplace: boolean) {
  const got = {} as { late: ReturnType<typeof deleteFailsThenLands> };
  return cutAtSignOutReadPerTest(
    got,
    MEGAN,
    (records) => (got.late = deleteFailsThenLands(records, holdReplace)).records,
  );
}

describe('commands: a turn given up at shutdown whose mark is deleted after the store said it failed', () => {
  const pair = latePerTest(false);

  it('the turn runs on and cancels once; the redelivery is dropped', async () => {
    const { a, b, turns, late, signInRead } = pair;
    const megan = a.user(MEGAN);
    const typed = cancelOf(a);
    const cut = a.message(megan, typed, { id: 'act-late-delete' });
    await signInRead.reached;
    await assert.rejects(turns.giveUp(), /no answer in time/, 'the stop reports the failure');
    await late.land();
    // The cut turn's cancel is held on its way to Graph while Teams delivers the message again, so
    // a redelivery that ran would find the request still pending and cancel it too.
    const write = holdFirstGraph(a, 'POST');
    signInRead.release();
    await write.came;
    const again = await b.message(megan, typed, { id: 'act-late-delete' });
    write.release();
    const done = await cut;
    assert.equal(writesOf(a).length, 1, 'the cancel reaches Graph once');
    assert.deepEqual(again.sent, [], 'the redelivery is dropped');
    assert.ok(b.logs.some((l) => l.event === 'bot.turn.duplicate'));
    assert.match(cardsOf(done.sent), /Cancelled the role/, cardsOf(done.sent));
  });
});

describe('commands: a turn given up at shutdown whose mark is deleted late, before the stop writes it over', () => {
  const pair = latePerTest(true);

  it('the turn stays given up and says nothing was sent; the redelivery cancels once', async () => {
    const { a, b, turns, late, signInRead } = pair;
    const megan = a.user(MEGAN);
    const typed = cancelOf(a);
    const cut = a.message(megan, typed, { id: 'act-late-delete-first' });
    await signInRead.reached;
    const giving = turns.giveUp();
    await late.replacing;
    assert.equal(await late.land(), true, 'the late delete takes the mark');
    late.replace();
    await assert.rejects(giving, /no answer in time/, 'the stop reports the failure');
    signInRead.release();
    const given = await cut;
    assert.equal(writesOf(a).length, 0, 'the given-up turn sent no cancel');
    assert.match(cardsOf(given.sent), /restarting before it sent this to Microsoft Graph, so nothing was sent/);
    const again = await b.message(megan, typed, { id: 'act-late-delete-first' });
    assert.match(cardsOf(again.sent), /Cancelled the role/, cardsOf(again.sent));
    assert.equal(writesOf(a).length, 1, 'the cancel reaches Graph once');
  });
});
