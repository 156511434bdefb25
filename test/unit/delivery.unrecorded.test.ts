// A card Teams accepted whose outcome could not be written: the instance remembers the post, so
// when the row comes back (its lease expired) the outcome is written from memory and the card is
// not posted again; and the memory is let go once the record is settled, whoever wrote it.

import { strict as assert } from 'node:assert';
import { CardBindings } from '../../src/state/cardBindings';
import { StateUnavailableError } from '../../src/state/port';
import { connector, deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';

// Long enough that the row never comes back by itself while a test looks; the tests move the clock.
const LEASE_MS = 60_000;

describe('notification delivery: a post whose outcome could not be written', () => {
  const session = deliverySession();
  const { instance } = session;

  /** Makes the store's next `finish` fail: before writing, or after its write was stored. */
  function failNextFinish(store: { finish: (...a: never[]) => Promise<boolean> }, when: 'before' | 'after') {
    const finish = store.finish.bind(store);
    let failed = false;
    store.finish = async (...args: never[]) => {
      if (failed) return finish(...args);
      failed = true;
      if (when === 'after') await finish(...args);
      throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
    };
  }

  it('writes the outcome on the next pass from the post it remembers, without posting again', async () => {
    const c = connector();
    const { store, state, worker } = await instance(c.send, { leaseMs: LEASE_MS });
    failNextFinish(store as never, 'before');
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => c.sent.length === 1, 'the post');
    assert.equal((await store.get('e1'))?.state, 'queued', 'the outcome was not written');
    session.offset += LEASE_MS + 1;
    worker.kick();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'the outcome');
    assert.equal((await store.get('e1'))?.activityId, 'activity-1');
    assert.equal(c.sent.length, 1, 'posted once');
    assert.equal(worker['unrecorded'].size, 0);
    // The card is recorded after its outcome: the pass that wrote the outcome bound it too.
    await eventually(async () => (await state.outbox.size()) === 0, 'the row completed');
    assert.ok(await new CardBindings(state.records).itemsOf('a:personal', 'activity-1'), 'the card is bound');
  });

  it('forgets the post when the row comes back with its record already settled', async () => {
    // A write can be stored and still fail to answer (a timeout after the commit): the record is
    // then delivered when the row comes back, and nothing is left to write from memory.
    const c = connector();
    const { store, state, worker } = await instance(c.send, { leaseMs: LEASE_MS });
    failNextFinish(store as never, 'after');
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'the stored outcome');
    session.offset += LEASE_MS + 1;
    worker.kick();
    await eventually(async () => (await state.outbox.size()) === 0, 'the row completed');
    assert.equal(c.sent.length, 1, 'posted once');
    assert.equal(worker['unrecorded'].size, 0, 'the remembered post is let go');
  });
});
