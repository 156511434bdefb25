// A Graph call's whole time is bounded by its budget (contract §4: at most 5 attempts within
// 30 s), not only its waits. ThrottleRetry never starts a wait that would end past the budget, but
// each attempt had the full per-attempt deadline (20 s) wherever in the budget it began: a 429
// answered late, then a retry that hangs, took the call to 29.95 + 20 s. An attempt now ends at
// whichever comes first, its own deadline or the end of the call's budget.
// https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling

import { strict as assert } from 'node:assert';
import { ThrottledError, UpstreamError } from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const token = () => Promise.resolve('not-a-jwt');

describe('Graph call budget', () => {
  it('ends a retry that never answers at the end of the call budget, not a whole attempt later', async () => {
    let clock = 1_000_000;
    const sent: number[] = [];
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      // Longer than mocha's timeout: only the budget can end the second attempt in time.
      timeoutMs: 600_000,
      budgetMs: 30_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      // The first answer is a 429 asking for 29 s, which leaves the retry the least time an attempt
      // is given (1 s, taken on the wall clock here); the retry never answers and ignores its abort
      // signal, so only the step's own deadline ends it.
      fetch: () => {
        sent.push(clock);
        if (sent.length === 1)
          return Promise.resolve(new Response(null, { status: 429, headers: { 'retry-after': '29' } }));
        return new Promise<Response>(() => undefined);
      },
    });
    await assert.rejects(
      gateway.write(target, token),
      (e: unknown) => e instanceof UpstreamError && /did not answer in time/.test(e.message) && e.graph.status === null,
    );
    assert.deepEqual(sent, [1_000_000, 1_029_000], 'the retry went out after the asked wait, within the budget');
  });

  it('sends no attempt once the budget is spent, and reports the last answer', async () => {
    let clock = 1_000_000;
    let sent = 0;
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      timeoutMs: 600_000,
      budgetMs: 30_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      // A 429 that took the whole budget to come: there is no time left to try again.
      fetch: () => {
        sent++;
        clock += 30_000;
        return Promise.resolve(new Response(null, { status: 429, headers: { 'retry-after': '0' } }));
      },
    });
    await assert.rejects(gateway.write(target, token), { name: 'ThrottledError' });
    assert.equal(sent, 1);
  });

  it('sends no attempt when the wait before it overran the budget, and reports the 429', async () => {
    let clock = 1_000_000;
    let sent = 0;
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      timeoutMs: 600_000,
      budgetMs: 30_000,
      now: () => clock,
      // A timer fires late on a busy machine: the wait asked for ended within the budget, the
      // wait as it happened ended past it. An attempt sent now would have no time to answer (a
      // write that may take effect unheard), so none is sent and the last answer, a 429 (nothing
      // changed), is reported.
      sleep: async (ms) => {
        clock += ms + 200;
      },
      fetch: () => {
        sent++;
        return Promise.resolve(new Response(null, { status: 429, headers: { 'retry-after': '29.9' } }));
      },
    });
    await assert.rejects(gateway.write(target, token), { name: 'ThrottledError' });
    assert.equal(sent, 1);
  });

  // A retry needs time to be answered: one sent with milliseconds left was cut at the budget's end
  // and told as "did not answer in time; may or may not have taken effect" (and the read and re-send
  // after a lost write began), although Graph's last answer, a 429, says truly that nothing changed
  // and to try later (https://learn.microsoft.com/graph/throttling: wait the Retry-After, then retry).
  it('sends no retry that would have only milliseconds to be answered: the 429 is the outcome', async () => {
    let clock = 1_000_000;
    let sent = 0;
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      timeoutMs: 600_000,
      budgetMs: 30_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      fetch: () => {
        sent++;
        if (sent === 1)
          return Promise.resolve(new Response(null, { status: 429, headers: { 'retry-after': '29.99' } }));
        // A retry sent 10 ms before the budget's end: Graph takes 200 ms to answer it.
        clock += 200;
        return Promise.resolve(new Response(null, { status: 204 }));
      },
    });
    await assert.rejects(
      gateway.write(target, token),
      (e: unknown) => e instanceof ThrottledError && e.graph.status === 429,
    );
    assert.equal(sent, 1, 'only the first attempt went out');
  });

  // A Retry-After date is the server's clock, like the answer's Date: a local clock ahead of
  // Graph's read it as already past and sent the write again at once, into the same throttling
  // (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling).
  it('waits what a Retry-After date asks, counted from the answer’s Date, on a local clock ahead of Graph’s', async () => {
    const graphNow = Date.parse('2026-03-02T10:00:00Z');
    let clock = graphNow + 10_000;
    const sent: number[] = [];
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      budgetMs: 30_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      fetch: () => {
        sent.push(clock);
        if (sent.length === 1) {
          const headers = { date: 'Mon, 02 Mar 2026 10:00:00 GMT', 'retry-after': 'Mon, 02 Mar 2026 10:00:04 GMT' };
          return Promise.resolve(new Response(null, { status: 429, headers }));
        }
        return Promise.resolve(new Response(null, { status: 204 }));
      },
    });
    await gateway.write(target, token);
    assert.equal(sent.length, 2);
    assert.equal(sent[1]! - sent[0]!, 4_000);
  });
});
