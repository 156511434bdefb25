// A channel alert whose send scheduler (its windows kept in the state store) cannot be read while
// the worker waits for its slot: Teams was never asked, so no attempt is spent and nothing is said
// of Teams. The pass fails as the store's (a StateUnavailableError never sets a row aside), the
// claim goes back uncounted, and the row comes back after its lease, as a direct notification's
// does (DirectSendSlots). Before, the store's failure was read as a send with no answer: retried
// as "No answer from Teams", and on the last attempt dead-lettered as "Teams did not accept the card
// after 6 attempts (last: no answer)", a card never sent.

import { strict as assert } from 'node:assert';
import { createLogger } from '../../src/log';
import { AlertWorkerOptions } from '../../src/notifications/alertWorkerOptions';
import { AlertWorker } from '../../src/notifications/fanoutWorker';
import { SEND_ROW } from '../../src/alerts/alertStore';
import { StateUnavailableError } from '../../src/state/port';

describe("alerts: the send scheduler's store fails during the wait for a slot", () => {
  for (const attempts of [1, 6]) {
    it(`spends no attempt and writes no Teams failure (attempt ${attempts} of 6)`, async () => {
      const clock = 1_000_000;
      const calls: string[] = [];
      const fake = <T>(o: object): T => o as T;
      const worker = new AlertWorker({
        outbox: fake({
          release: async (_row: unknown, delay: number) => void calls.push(`release ${delay}`),
          complete: async () => void calls.push('complete'),
        }),
        alerts: fake({ get: async () => ({ eventId: 'e1', category: 'c', card: { attachment: {}, summary: 's' } }) }),
        fanout: () => {
          throw new Error('no fan-out here');
        },
        plans: fake({}),
        ledger: fake({
          get: async () => ({ deliveryId: 'd1', eventId: 'e1', channelId: '19:a@thread.tacv2', state: 'pending' }),
          claim: async () => ({ kind: 'claimed', token: 'claim-1', delivery: { attempts } }),
          retryLater: async (_id: string, _token: string, _at: number, reason: string) =>
            void calls.push(`retryLater ${reason}`),
          deadLetter: async (_id: string, _token: string, reason: string) => void calls.push(`deadLetter ${reason}`),
          release: async () => void calls.push('unclaim'),
        }),
        scheduler: fake({
          marginMs: 20,
          peek: async () => clock,
          reserve: async () => {
            throw new StateUnavailableError('state store: update failed (no answer in time)');
          },
          hold: async () => void calls.push('hold'),
        }),
        channelTarget: async () => ({
          reference: { conversation: { id: '19:a@thread.tacv2', tenantId: 't1' } } as never,
          seen: 0,
        }),
        bindings: fake({}),
        copies: fake({}),
        send: async () => {
          calls.push('send');
          return 'activity-1';
        },
        logger: createLogger({ level: 'silent' }),
        owner: 'i1',
        tenantId: 't1',
        now: () => clock,
        maxAttempts: 6,
      } satisfies AlertWorkerOptions);
      const row = { id: `${SEND_ROW}d1`, receipt: 'r', attempts, payload: { eventId: `${SEND_ROW}d1` } } as never;
      await assert.rejects(worker.handle(row, new AbortController().signal), StateUnavailableError);
      // The claim goes back uncounted; the row is left to its lease (given back due at once, it
      // would be leased again and again against the failing store).
      assert.deepEqual(calls, ['unclaim']);
    });
  }
});
