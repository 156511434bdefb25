// A remembered post (its outcome write failed) written after another holder took the expired
// claim over keeps the record's count of sends tried. The taker counts the dead claim's send
// (records.ts, claimOf) and then its own (a retry written with retryLater); the remembered post
// carries only the count of its own pass. The outcome write used to put that smaller count on the
// record, so GET under-reported the sends Teams received. Each count is already the total up to
// that send, so the larger one is kept, not their sum.

import { strict as assert } from 'node:assert';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import { connector, deliverySession, failNextFinish, handleNextRow, roleEvent } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;

describe('notification delivery: a remembered post written after another holder tried a send', () => {
  const session = deliverySession();

  it("keeps the other holder's larger count of sends on the record", async () => {
    const c = connector();
    const A = await session.instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    failNextFinish(A.store, 'before', OUTCOME_WRITE_TRIES);
    await A.store.accept(roleEvent('e1'));
    await handleNextRow(A, LEASE_MS); // send 1 posted; every outcome write of this pass fails
    assert.equal(A.worker['unrecorded'].size, 1, 'the post is remembered');
    session.offset += LEASE_MS + 1;
    const now = () => Date.now() + session.offset;
    // Another holder takes the expired claim (counting send 1), sends (send 2) and is answered 503.
    assert.equal((await A.store.claim('e1', 'holder-b', now(), LEASE_MS)).kind, 'claimed');
    assert.equal((await A.store.get('e1'))?.attempts, 1);
    await A.store.retryLater('e1', 'holder-b', 2, now());
    await handleNextRow(A, LEASE_MS);
    const record = await A.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1');
    assert.equal(record?.attempts, 2, 'both sends are counted');
  });

  it('writes the count the caller carries over a smaller one', async () => {
    const c = connector();
    const A = await session.instance(c.send);
    await A.store.accept(roleEvent('e2'));
    const outcome = { state: 'undeliverable' as const, reason: 'r' };
    assert.equal(await A.store.finish('e2', outcome, 3), true);
    assert.equal((await A.store.get('e2'))?.attempts, 3);
  });
});
