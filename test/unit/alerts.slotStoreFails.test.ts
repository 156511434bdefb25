// A channel alert whose state store fails after its delivery was claimed and before its send: the
// send scheduler (its windows kept in the state store) while the worker waits for the slot, the
// stored alert, the claim's remaining time, or the channel's settings read just before the post
// (does it still subscribe to the alert's category?). Teams was never asked, so no attempt is spent and
// nothing is said of Teams. The pass fails as the store's (a StateUnavailableError never sets a row
// aside), the claim (and a slot taken) go back uncounted, and the row comes back after its lease,
// as a direct notification's does (DirectSendSlots). Before, the scheduler's failure was read as a
// send with no answer: retried as "No answer from Teams", and on the last attempt dead-lettered as
// "Teams did not accept the card after 6 attempts (last: no answer)", a card never sent; and a
// failure of the other two left the claim to run out, counted as an attempt.

import { strict as assert } from 'node:assert';
import { createLogger } from '../../src/log';
import { AlertWorkerOptions } from '../../src/notifications/alertWorkerOptions';
import { AlertWorker } from '../../src/notifications/fanoutWorker';
import { SEND_ROW } from '../../src/alerts/alertStore';
import { StateUnavailableError } from '../../src/state/port';

const CLOCK = 1_000_000;
const down = (): never => {
  throw new StateUnavailableError('state store: update failed (no answer in time)');
};
const fake = <T>(o: object): T => o as T;

/** The worker on one pending delivery at attempt `attempts`; `fails` names the store call that fails. */
function worker(calls: string[], attempts: number, fails: 'slot' | 'alert' | 'claimLeft' | 'settings'): AlertWorker {
  return new AlertWorker({
    outbox: fake({
      release: async (_row: unknown, delay: number) => void calls.push(`release ${delay}`),
      complete: async () => void calls.push('complete'),
    }),
    alerts: fake({
      get: async () =>
        fails === 'alert' ? down() : { eventId: 'e1', category: 'c', card: { attachment: {}, summary: 's' } },
    }),
    fanout: () => {
      throw new Error('no fan-out here');
    },
    plans: fake({}),
    ledger: fake({
      get: async () => ({ deliveryId: 'd1', eventId: 'e1', channelId: '19:a@thread.tacv2', state: 'pending' }),
      claim: async () => ({ kind: 'claimed', token: 'claim-1', delivery: { attempts } }),
      heldFor: async () => (fails === 'claimLeft' ? down() : 49_000),
      retryLater: async (_id: string, _token: string, _at: number, reason: string) =>
        void calls.push(`retryLater ${reason}`),
      deadLetter: async (_id: string, _token: string, reason: string) => void calls.push(`deadLetter ${reason}`),
      release: async () => void calls.push('unclaim'),
    }),
    scheduler: fake({
      marginMs: 20,
      peek: async () => CLOCK,
      reserve: async () => (fails === 'slot' ? down() : CLOCK),
      release: async () => void calls.push('slot back'),
      hold: async () => void calls.push('hold'),
    }),
    channelTarget: async () => ({
      reference: { conversation: { id: '19:a@thread.tacv2', tenantId: 't1' } } as never,
      seen: 0,
    }),
    withheld: async () => (fails === 'settings' ? down() : null),
    bindings: fake({}),
    copies: fake({}),
    send: async () => {
      calls.push('send');
      return 'activity-1';
    },
    logger: createLogger({ level: 'silent' }),
    owner: 'i1',
    tenantId: 't1',
    now: () => CLOCK,
    maxAttempts: 6,
  } satisfies AlertWorkerOptions);
}

describe('alerts: the state store fails between the claim and the send', () => {
  for (const [fails, expected] of [
    ['slot', ['unclaim']],
    ['alert', ['unclaim']],
    ['claimLeft', ['slot back', 'unclaim']],
    ['settings', ['slot back', 'unclaim']],
  ] as const) {
    for (const attempts of [1, 6]) {
      it(`${fails}: spends no attempt and writes no Teams failure (attempt ${attempts} of 6)`, async () => {
        const calls: string[] = [];
        const row = { id: `${SEND_ROW}d1`, receipt: 'r', attempts, payload: { eventId: `${SEND_ROW}d1` } } as never;
        await assert.rejects(
          worker(calls, attempts, fails).handle(row, new AbortController().signal),
          StateUnavailableError,
        );
        // The claim goes back uncounted; the row is left to its lease (given back due at once, it
        // would be leased again and again against the failing store).
        assert.deepEqual(calls, expected);
      });
    }
  }
});
