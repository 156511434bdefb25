// The read before an access package decision (who asked: the approver's own filterByCurrentUser,
// read page by page, at most 20 pages) is one read with one 30 s budget, like a list's, not 30 s
// per page: twenty slow pages would hold a decision (and a click's claim) for minutes before its
// PATCH. A re-send after an unanswered write gets only what is left of the write's 30 s, its read
// included: "The re-send's own 429 waits end within the same 30 s ... none of them is left,
// nothing more is sent" (README, How a command runs). Paging:
// https://learn.microsoft.com/graph/paging; the function:
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { NotSentError } from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const REQUEST = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const STAGE = '7a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c';
const target: Target = {
  operation: 'decideAccessPackageApproval',
  ids: { requestId: REQUEST, stageId: STAGE },
  decision: 'approve',
};
const token = () => Promise.resolve('not-a-jwt');

/** Graph whose approver filter answers every page after `pageMs` with a next page, never the request. */
function slowPages(pageMs: number) {
  let clock = 1_000_000;
  const sent: { method: string; at: number }[] = [];
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    budgetMs: 30_000,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    fetch: (input, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      sent.push({ method, at: clock });
      if (method !== 'GET') return Promise.resolve(new Response(null, { status: 204 }));
      clock += pageMs;
      const next = `${BASE}/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='approver')?$skiptoken=${sent.length}`;
      const body = { value: [{ id: 'a0000000-0000-4000-8000-000000000000' }], '@odata.nextLink': next };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    },
  });
  return { gateway, sent, now: () => clock };
}

describe('the read before an access package decision keeps its budget', () => {
  it('reads for 30 s at most, not 30 s a page, and then sends nothing', async () => {
    const g = slowPages(4_000);
    const start = g.now();
    await assert.rejects(g.gateway.write(target, token), (e: unknown) => e instanceof NotSentError);
    assert.equal(g.sent.filter((s) => s.method === 'PATCH').length, 0, 'no decision after a read that ran out');
    // (This fake answers each page whole; a real page still out at the deadline is cut there.)
    assert.deepEqual(
      g.sent.filter((s) => s.at >= start + 30_000),
      [],
      'a page was read past the 30 s',
    );
  });

  it('a re-send with 5 s left sends no PATCH after those 5 s', async () => {
    const g = slowPages(2_000);
    const start = g.now();
    await assert.rejects(
      g.gateway.write(target, token, { budgetMs: 5_000 }),
      (e: unknown) => e instanceof NotSentError,
    );
    const late = g.sent.filter((s) => s.method === 'PATCH' && s.at >= start + 5_000);
    assert.deepEqual(late, [], 'a PATCH went out past the re-send’s budget');
    assert.deepEqual(
      g.sent.filter((s) => s.at >= start + 5_000),
      [],
      'a page was read past the 5 s',
    );
  });
  it('a read that leaves less than 1 s of the budget: no PATCH, and "nothing was sent"', async () => {
    // The read and the write share one deadline (README, How a command runs: "Run out before the
    // write: the card says it was not sent"). A PATCH sent with 0.5 s left was cut at the deadline
    // and told "may or may not have taken effect" though it likely never reached Graph.
    let clock = 1_000_000;
    const sent: string[] = [];
    const gateway = new GraphGateway({
      graphEndpoint: BASE,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      fetch: (_input, init) => {
        const method = (init?.method ?? 'GET').toUpperCase();
        sent.push(method);
        if (method !== 'GET') return Promise.resolve(new Response(null, { status: 204 }));
        // One page, the whole list, answered 7.5 s into the 8 s left: the request is not on it.
        clock += 7_500;
        return Promise.resolve(new Response(JSON.stringify({ value: [] }), { status: 200 }));
      },
    });
    await assert.rejects(gateway.write(target, token, { budgetMs: 8_000 }), (e: unknown) => {
      assert.ok(e instanceof NotSentError, (e as Error).constructor.name);
      assert.match(e.message, /nothing was sent/);
      return true;
    });
    assert.deepEqual(sent, ['GET'], 'the PATCH was sent with less than 1 s left');
  });
});
