// A post remembered by the instance that made it (its outcome could not be written) is written on
// its row's next pass without claiming the send again, even while another holder's claim is live.
// That is safe, and pinned here: the outcome write only settles a record still queued
// (compare-and-swap), so only one outcome is ever written; the other holder's own outcome write
// then finds it settled; and a record settled is what makes every later claim answer "done", so no
// one sends again. Waiting for the other claim instead would not undo a send already under way,
// and would leave the event open to one more send if that holder failed.

import { strict as assert } from 'node:assert';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import { connector, deliverySession, failNextFinish, handleNextRow, roleEvent } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;

describe("notification delivery: a remembered post written over another holder's live claim", () => {
  const session = deliverySession();

  it('writes the one outcome, the other holder finds it settled, and no later claim sends', async () => {
    const c = connector();
    const A = await session.instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    failNextFinish(A.store, 'before', OUTCOME_WRITE_TRIES);
    await A.store.accept(roleEvent('e1'));
    await handleNextRow(A, LEASE_MS); // posted; every outcome write of this pass fails
    assert.deepEqual(c.sent, ['a:personal']);
    assert.equal(A.worker['unrecorded'].size, 1, 'the post is remembered');
    // A's claim and lease ran out; another instance took the claim (through a second row of the
    // event) and is sending now.
    session.offset += LEASE_MS + 1;
    const now = () => Date.now() + session.offset;
    assert.equal((await A.store.claim('e1', 'holder-b', now(), LEASE_MS)).kind, 'claimed');
    await handleNextRow(A, LEASE_MS);
    const record = await A.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1', "A's post is the outcome");
    assert.deepEqual(c.sent, ['a:personal'], 'A did not post again');
    // The other holder's send ends: its outcome write finds the record settled and writes nothing.
    const other = { state: 'delivered' as const, activityId: 'activity-b', conversationId: 'a:personal' };
    assert.equal(await A.store.finish('e1', other, 2, now()), false);
    assert.equal((await A.store.get('e1'))?.activityId, 'activity-1');
    // Any later row of the event finds nothing to send.
    assert.deepEqual(await A.store.claim('e1', 'holder-c', now() + LEASE_MS, LEASE_MS), { kind: 'done' });
  });
});
