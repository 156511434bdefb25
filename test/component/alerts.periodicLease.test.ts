// The periodic pass (reminders, digests, then the sweep of expired records) holds its outbox row
// for as long as it runs. The row is leased for a minute; a pass that ran longer (a sweep with a
// large backlog) let another instance lease the same row and run the same pass beside it. The
// lease is renewed while the pass runs; the renewals' timer is run by hand here, on an injected
// clock (SQLite outbox).

import { strict as assert } from 'node:assert';
import { PERIODIC_LEASE_MS } from '../../src/alerts/periodicTick';
import { eventually } from '../fixtures/deliverySession';
import { alertsOnSqlite } from './alertsOnSqlite';

describe('alerts: the periodic pass holds its row while it runs', () => {
  const world = alertsOnSqlite('govbot-alerts-lease-');
  beforeEach(() => {
    world.clock = Date.UTC(2025, 5, 2, 1, 0, 0);
  });

  it('a pass longer than the lease keeps the row from other instances, then gives it back', async () => {
    const timers: Array<{ tick: () => Promise<void>; ms: number }> = [];
    let sweeping = false;
    let endSweep!: () => void;
    const swept = new Promise<number>((r) => (endSweep = () => r(0)));
    const { state, alerts } = world.instance('i1', {
      periodic: {
        sweep: () => {
          sweeping = true;
          return swept;
        },
        renewEvery: (tick, ms) => {
          const timer = { tick, ms };
          timers.push(timer);
          return () => timers.splice(timers.indexOf(timer), 1);
        },
      },
    });
    await alerts.worker.startPeriodic();
    const row = await state.outbox.lease(PERIODIC_LEASE_MS);
    assert.ok(row && alerts.worker.owns(row));
    const pass = alerts.worker.handle(row, new AbortController().signal);
    await eventually(() => sweeping, 'the pass reaches the sweep');

    // The pass runs on past the lease, its renewals firing on time.
    const renewals = () => timers.filter((t) => t.ms === PERIODIC_LEASE_MS / 3);
    assert.equal(renewals().length, 1, 'the lease is being renewed during the pass');
    for (let elapsed = 0; elapsed < 3 * PERIODIC_LEASE_MS; elapsed += PERIODIC_LEASE_MS / 3) {
      world.clock += PERIODIC_LEASE_MS / 3;
      for (const t of renewals()) await t.tick();
      assert.equal(await state.outbox.lease(PERIODIC_LEASE_MS), null, 'no other instance gets the row');
    }

    endSweep();
    await pass;
    assert.equal(renewals().length, 0, 'no renewal after the pass');
    assert.equal(await state.outbox.size(), 1, 'the row is given back for the next period');
    assert.equal(await state.outbox.lease(PERIODIC_LEASE_MS), null, 'not due before the next period');
  });
});
