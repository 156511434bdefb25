// A direct notification's send slot comes from the shared send scheduler, whose windows are kept in
// the state store (Teams' per-thread and per-tenant limits,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit). When that
// store cannot reserve a slot (a write refused, Blob Storage busy while Queue Storage answers), the
// pass fails like any other store failure: the error is logged and the row comes back after its
// lease. It is not taken for shutdown: that gave the row back due at once, unlogged, and the worker
// leased it again and again against the failing store while no card went out and no one was told.

import { strict as assert } from 'node:assert';
import { RecordsLogStore, SendScheduler } from '../../src/alerts/rateLimits';
import { StateUnavailableError } from '../../src/state/port';
import { connector, deliverySession, observeReleases, roleEvent } from '../fixtures/deliverySession';

describe('notification delivery when the send scheduler cannot reserve a slot', () => {
  const session = deliverySession();

  it('fails the pass (logged, the row back after its lease), never gives the row back due at once', async () => {
    const { send, sent } = connector();
    let scheduler: SendScheduler | undefined;
    const a = await session.instance(send, (state) => {
      scheduler = new SendScheduler({
        store: new RecordsLogStore(state.records),
        now: () => Date.now() + session.offset,
      });
      return { sharedPacing: { scheduler, tenantId: 't' } };
    });
    let failures = 1;
    const reserve = scheduler!.reserve.bind(scheduler);
    scheduler!.reserve = async (...args) => {
      if (failures-- > 0) throw new StateUnavailableError('state store: write failed (ServerBusy)');
      return reserve(...args);
    };
    const releases = observeReleases(a.state);
    await a.store.accept(roleEvent('e1'));
    const row = await a.state.outbox.lease(60_000);
    assert.ok(row);
    const handled = (a.worker as unknown as { handle(r: unknown): Promise<void> }).handle(row);
    await assert.rejects(handled, StateUnavailableError, 'the pass fails: the loop logs it');
    assert.deepEqual(releases, [], 'the row is not given back due at once');
    assert.equal(await a.state.outbox.lease(60_000), null, 'the row waits out its lease');
    assert.deepEqual(sent, []);
    // Once the lease has run out, the row is taken again and the card sent.
    session.offset += 61_000;
    const again = await a.state.outbox.lease(60_000);
    assert.ok(again, 'the row is back after its lease');
    await (a.worker as unknown as { handle(r: unknown): Promise<void> }).handle(again);
    assert.deepEqual(sent, ['a:personal']);
    assert.equal((await a.store.get('e1'))?.state, 'delivered');
  });
});
