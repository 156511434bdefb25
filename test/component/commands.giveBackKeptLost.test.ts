// A typed command cut short at shutdown whose mark the store refused to delete, and still showed,
// is kept by writing the mark over (src/state/turnDedup.ts keepSeen) and runs on. On Azure that
// write may land and still be reported failed (its answer lost at the deadline). The turn then took
// the mark it had just written for a redelivery's, said nothing, and Teams' redelivery, meeting
// that mark, was dropped: the command never ran and nobody answered. The mark written over names
// the turn, so the turn finds its own write and runs on: one cancel, one answer.

import { strict as assert } from 'node:assert';
import { deleteRefusedReplaceLost } from '../fixtures/lostDeletes';
import { cardsOf } from './botRig';
import { cutAtSignOutReadPerTest } from './cutTurns';

const MEGAN = 0;

describe('commands: a turn given up at shutdown whose mark, refused a delete, is written over with the answer lost', () => {
  const got = cutAtSignOutReadPerTest({}, MEGAN, (records) => deleteRefusedReplaceLost(records).records);

  it('the turn finds its own write, runs on and cancels once; the redelivery is dropped', async () => {
    const { a, b, turns, signInRead } = got;
    const megan = a.user(MEGAN);
    const typed = `cancel role-request ${a.seed.examples.roleRequestId}`;
    const cut = a.message(megan, typed, { id: 'act-kept-lost' });
    await signInRead.reached;
    await assert.rejects(turns.giveUp(), /no answer in time/, 'the stop reports the failure');
    signInRead.release();
    const done = await cut;
    const again = await b.message(megan, typed, { id: 'act-kept-lost' });
    const writes = a.tenant.graphRequests().filter((q) => q.method !== 'GET');
    assert.equal(writes.length, 1, 'the cancel reaches Graph once');
    assert.match(cardsOf(done.sent), /Cancelled the role/, cardsOf(done.sent));
    assert.deepEqual(again.sent, [], 'the redelivery is dropped');
  });
});
