// The periodic pass (healing, reminders, digests) runs its parts apart so that a part failing for
// itself holds up none of the others (eachApart.ts). A state store that cannot be reached
// (StateUnavailableError) is no fault of one part: every later part would fail alike, each after
// the store's deadline, while the pass holds its row's lease. The README says such a failure ends
// the pass; it went on to the reminders and the digests all the same.

import { strict as assert } from 'node:assert';
import { PeriodicAlerts, PeriodicOptions } from '../../src/alerts/periodic';
import { StateUnavailableError } from '../../src/state/port';

describe('periodic pass: a store that cannot be reached ends it', () => {
  /** Options whose reminder and digest reads are counted; healing fails with `healError`. */
  function pass(healError: Error) {
    const reads: string[] = [];
    const opts = {
      heal: () => Promise.reject(healError),
      digest: {
        read: async () => {
          reads.push('digest');
          return { day: {}, waiting: [] };
        },
        // Digests are looked for from this pass on: none of an earlier day was missed.
        lookingSince: async (now: number) => now,
        markRound: async () => undefined,
      },
      reminders: { reminded: async () => new Set<string>() },
      subscriptions: {
        digestChannels: async () => {
          reads.push('channels');
          return [];
        },
      },
      now: () => Date.UTC(2025, 5, 3, 12, 0, 0),
    } as unknown as PeriodicOptions;
    return { periodic: new PeriodicAlerts(opts), reads };
  }

  it('goes no further when healing finds the store out', async () => {
    const { periodic, reads } = pass(new StateUnavailableError('state store: read failed (SQLITE_BUSY)'));
    await assert.rejects(periodic.run(), StateUnavailableError);
    assert.deepEqual(reads, [], 'neither the reminders nor the digests were read');
  });

  it('goes on past a healing that fails for itself', async () => {
    const { periodic, reads } = pass(new TypeError('a fault for one team'));
    await assert.rejects(periodic.run(), TypeError);
    assert.deepEqual(reads, ['digest', 'channels', 'digest']);
  });
});
