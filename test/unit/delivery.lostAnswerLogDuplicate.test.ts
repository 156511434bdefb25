// The one `notification.delivered` line of a card whose outcome write stored but lost its answer,
// when a second row of the event (a second message of it on Azure Queue Storage, a duplicate POST)
// is handled on the same instance before the write's next try: that row finds the record holding
// the post this instance remembers and says the delivery; the next try finds it too, and must not
// say it again (delivery.lostAnswerLog.test.ts has the lines of one row).

import { strict as assert } from 'node:assert';
import { StateUnavailableError } from '../../src/state/port';
import { connector, deliverySession, handleNextRow, roleEvent } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;

describe('notification delivery: a lost answer, and a second row of the event meanwhile', () => {
  const session = deliverySession();
  const { instance } = session;
  const delivered = (events: () => unknown[]) => events().filter((e) => e === 'notification.delivered').length;

  it('logs the delivery once', async () => {
    const c = connector();
    const A = await instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    const finish = A.store.finish.bind(A.store);
    let duplicateHandled = false;
    A.store.finish = async (...args) => {
      const settled = await finish(...args);
      if (duplicateHandled) return settled;
      duplicateHandled = true;
      // Stored; before its answer comes back, the event's second row is handled here.
      await A.state.outbox.enqueue('e1-dup', { eventId: 'e1' });
      await handleNextRow(A, LEASE_MS, false);
      throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
    };
    await A.store.accept(roleEvent('e1'));
    await handleNextRow(A, LEASE_MS, false);
    assert.ok(duplicateHandled, 'the second row was handled during the write');
    assert.equal(c.sent.length, 1, 'posted once');
    assert.equal((await A.store.get('e1'))?.activityId, 'activity-1');
    assert.equal(delivered(A.events), 1);
  });
});
