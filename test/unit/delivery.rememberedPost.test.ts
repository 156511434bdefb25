// A post Teams accepted whose outcome write failed is remembered (rememberedPosts.ts) for the
// acceptance of the record it was claimed on, not the one the row first read: the intake deletes
// a record it created when its row's enqueue failed, and the caller's retry creates a new one of
// the same id, which a worker that had leased the row already may claim and post under.

import { strict as assert } from 'node:assert';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import { connector, deliverySession, failNextFinish, handleNextRow, roleEvent } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;

describe('notification delivery: a remembered post and the record its send was claimed on', () => {
  const session = deliverySession();
  const { instance } = session;
  const sessionNow = (ms = 0): Date => new Date(Date.now() + session.offset + ms);

  it('is tied to the acceptance of the record it was sent under, so it is written, not posted again', async () => {
    // The intake deletes a record it created when its row's enqueue failed (store.ts), and the
    // caller posts the event again: a new record of the same id, a new acceptedAt. A worker that
    // had already leased the row (the enqueue was stored but failed to answer) read the first
    // record, then claims (after its slot) the second, and posts under that claim.
    const c = connector();
    const { store, state, worker } = await instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    await store.accept(roleEvent('e1'), sessionNow());
    const claim = store.claim.bind(store);
    let reaccepted = false;
    store.claim = async (...args) => {
      if (!reaccepted) {
        reaccepted = true;
        await state.records.delete('event:e1');
        assert.equal(await store.accept(roleEvent('e1'), sessionNow(1)), 'created');
      }
      return claim(...args);
    };
    // The outcome write after the post fails before it is stored, each time this handling tries
    // it: the post is remembered.
    failNextFinish(store, 'before', OUTCOME_WRITE_TRIES);
    const handle = () => handleNextRow({ state, worker }, LEASE_MS);

    await handle();
    assert.equal(c.sent.length, 1, 'posted under the claim on the second record');
    assert.equal((await store.get('e1'))?.state, 'queued', 'its outcome was not written');

    // The lease and the claim run out; the row comes back to the same instance.
    session.offset += LEASE_MS + 1;
    await handle();

    assert.equal(c.sent.length, 1, 'the card is in the chat once');
    const record = await store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1');
  });
});
