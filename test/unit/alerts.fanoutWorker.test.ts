// How far ahead of its turn the alert worker holds a send in process. Every instance reserves up to
// its concurrency of sends ahead under the tenant's 30 per second
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit), so two
// instances of 32 hold about 2.1 s of turns: a send due 3 s out is normal then. Given back to the
// outbox instead, such rows came back together and left the tenant's slots unused for 300-400 ms
// every couple of seconds. Fakes with an injected clock; the wait ends by the stop signal.

import { strict as assert } from 'node:assert';
import { createLogger } from '../../src/log';
import { AlertWorkerOptions } from '../../src/notifications/alertWorkerOptions';
import { AlertWorker } from '../../src/notifications/fanoutWorker';
import { SEND_ROW } from '../../src/alerts/alertStore';

describe('alerts: the worker waits for a send due within seconds', () => {
  it('reserves a send due 3 s out and waits for it, instead of giving the row back', async () => {
    const clock = 1_000_000;
    const calls: string[] = [];
    const stop = new AbortController();
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
        claim: async () => ({ kind: 'claimed', delivery: { attempts: 1 } }),
        retryLater: async () => void calls.push('retryLater'),
        release: async () => void calls.push('unclaim'),
      }),
      scheduler: fake({
        marginMs: 20,
        peek: async () => clock + 3_000,
        reserve: async () => {
          calls.push('reserve');
          // The worker now waits for its moment; shutting down ends the wait.
          stop.abort();
          return clock + 3_000;
        },
      }),
      channelTarget: async () => ({
        reference: { conversation: { id: '19:a@thread.tacv2', tenantId: 't1' } } as never,
        seen: 0,
      }),
      withheld: async () => null,
      bindings: fake({}),
      copies: fake({}),
      send: async () => {
        throw new Error('not sent in this test');
      },
      logger: createLogger({ level: 'silent' }),
      owner: 'i1',
      tenantId: 't1',
      now: () => clock,
    } satisfies AlertWorkerOptions);
    await worker.handle(
      { id: `${SEND_ROW}d1`, receipt: 'r', attempts: 1, payload: { eventId: `${SEND_ROW}d1` } } as never,
      stop.signal,
    );
    // Nothing was sent: the claim goes back uncounted (not a retry, which counts an attempt).
    assert.deepEqual(calls, ['reserve', 'unclaim', 'release 0']);
  });
});

describe('alerts: a post the worker remembers but could not record', () => {
  // A post Teams accepted whose delivery could not be written is remembered, so the row's next pass
  // records it instead of posting again; either way the memory is let go afterwards.
  function worker(state: 'sending' | 'delivered', calls: string[]) {
    const fake = <T>(o: object): T => o as T;
    return new AlertWorker({
      outbox: fake({ complete: async () => void calls.push('complete') }),
      alerts: fake({ get: async () => null }),
      fanout: () => {
        throw new Error('no fan-out here');
      },
      plans: fake({}),
      ledger: fake({
        get: async () => ({
          deliveryId: 'd1',
          eventId: 'e1',
          channelId: '19:a@thread.tacv2',
          state,
          ...(state === 'sending' ? { claim: { owner: 'i1', token: 'claim-1', until: Date.now() + 60_000 } } : {}),
        }),
        delivered: async (_id: string, at: { activityId: string }) => void calls.push(`delivered ${at.activityId}`),
      }),
      scheduler: fake({}),
      channelTarget: async () => ({ reference: null, reason: 'unknown channel' }),
      withheld: async () => null,
      bindings: fake({}),
      copies: fake({}),
      send: async () => {
        throw new Error('never posted again');
      },
      logger: createLogger({ level: 'silent' }),
      owner: 'i1',
      tenantId: 't1',
    } satisfies AlertWorkerOptions);
  }
  const row = { id: `${SEND_ROW}d1`, receipt: 'r', attempts: 2, payload: { eventId: `${SEND_ROW}d1` } } as never;

  it('records it on the next pass without posting again, then lets it go', async () => {
    const calls: string[] = [];
    const w = worker('sending', calls);
    w['unrecorded'].remember('d1', undefined, { activityId: 'activity-1' });
    await w.handle(row, new AbortController().signal);
    assert.deepEqual(calls, ['delivered activity-1', 'complete']);
    assert.equal(w['unrecorded'].size, 0);
  });

  it('lets it go when its row comes back with the delivery already recorded', async () => {
    // A write can store the delivery and still fail to answer (a timeout after the commit).
    const calls: string[] = [];
    const w = worker('delivered', calls);
    w['unrecorded'].remember('d1', undefined, { activityId: 'activity-1' });
    await w.handle(row, new AbortController().signal);
    assert.deepEqual(calls, ['complete']);
    assert.equal(w['unrecorded'].size, 0);
  });
});
