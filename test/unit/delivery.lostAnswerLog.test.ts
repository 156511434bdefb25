// The one `notification.delivered` line of a card Teams accepted, when the write that stored its
// outcome lost its answer (a timeout after the commit): the next try, in the same handling or on
// the row's next pass from the post remembered, finds the record already holding this very post.
// Before, that try read "settled by someone else" and no line was ever written for the delivery.

import { strict as assert } from 'node:assert';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import { connector, deliverySession, failNextFinish, handleNextRow, roleEvent } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;

describe('notification delivery: an outcome stored by a write whose answer was lost', () => {
  const session = deliverySession();
  const { instance } = session;
  const delivered = (events: () => unknown[]) => events().filter((e) => e === 'notification.delivered').length;

  it('logs the delivery once, from the next try of the same handling', async () => {
    const c = connector();
    const A = await instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    failNextFinish(A.store, 'after');
    await A.store.accept(roleEvent('e1'));
    await handleNextRow(A, LEASE_MS, false);
    assert.equal((await A.store.get('e1'))?.activityId, 'activity-1');
    assert.equal(delivered(A.events), 1);
  });

  it("logs the delivery once, from the row's next pass when every try of the handling lost its answer", async () => {
    const c = connector();
    const A = await instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    failNextFinish(A.store, 'after', OUTCOME_WRITE_TRIES);
    await A.store.accept(roleEvent('e1'));
    await handleNextRow(A, LEASE_MS);
    assert.equal(delivered(A.events), 0, 'no answer came: nothing said yet');
    session.offset += LEASE_MS + 1;
    await handleNextRow(A, LEASE_MS, false);
    assert.equal(c.sent.length, 1, 'posted once');
    assert.equal(delivered(A.events), 1);
    // A pass after that (the row of a binding not stored, a second row) says nothing more.
    await A.state.outbox.enqueue('e1-dup', { eventId: 'e1' });
    await handleNextRow(A, LEASE_MS, false);
    assert.equal(delivered(A.events), 1);
  });
});
