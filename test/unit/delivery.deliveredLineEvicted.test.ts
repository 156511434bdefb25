// The one `notification.delivered` line of a card Teams accepted, when the post remembered for its
// outcome write (RememberedPosts, bounded to MAX_REMEMBERED) is let go while the write is tried
// again: MAX_REMEMBERED other posts remembered on the instance meanwhile. The write that then
// stores the outcome must still tell the delivery; before, its line was dropped, as if another
// row of the event had told it.

import { strict as assert } from 'node:assert';
import { MAX_REMEMBERED, RememberedPosts } from '../../src/notifications/rememberedPosts';
import { StateUnavailableError } from '../../src/state/port';
import { connector, deliverySession, handleNextRow, roleEvent } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;

describe('notification delivery: a remembered post let go during its outcome write', () => {
  const session = deliverySession();
  const delivered = (events: () => unknown[]) => events().filter((e) => e === 'notification.delivered').length;

  it('still logs the delivery once when the write goes through', async () => {
    const c = connector();
    const A = await session.instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    const remembered = (A.worker as unknown as { unrecorded: RememberedPosts<unknown> }).unrecorded;
    const finish = A.store.finish.bind(A.store);
    let failed = false;
    A.store.finish = async (...args) => {
      if (failed) return finish(...args);
      failed = true;
      // Other posts whose outcomes could not be written fill the memory while this one waits.
      for (let i = 0; i < MAX_REMEMBERED; i++) remembered.remember(`other-${i}`, undefined, {});
      throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
    };
    await A.store.accept(roleEvent('e1'));
    await handleNextRow(A, LEASE_MS, false);
    assert.equal((await A.store.get('e1'))?.state, 'delivered');
    assert.equal(remembered.has('e1'), false, 'the post was let go meanwhile');
    assert.equal(delivered(A.events), 1);
  });
});
