// A write's 30 s (contract §4: at most 5 attempts within 30 s) count from its first send
// (domain/holdBack.ts, domain/attempts.ts), the re-send after a lost answer's included. Before an
// access package decision the gateway first reads the request through the approver's filter
// (https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser), with
// its own deadline; that read's time was charged to the write's 30 s, so a slow read left no time
// for the re-send though the PATCH itself had used less than its 30 s and the command had time
// left. A 503 is a 5xx whose write may have taken effect
// (https://learn.microsoft.com/graph/errors#http-status-codes): the item is read, and the write
// sent again only if it did not.

import { strict as assert } from 'node:assert';
import { NO_GRAPH } from '../../src/domain/errors';
import { GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const target: Target = {
  operation: 'decideAccessPackageApproval',
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: '7a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4c' },
  decision: 'approve',
};
const actor = { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') };

/** The first read before takes `readMs`; the first PATCH is answered 503 after `patchMs`; the item then
 * reads as still open at once; a second PATCH is accepted. */
async function run(readMs: number, patchMs: number, commandMs: number) {
  let clock = Date.parse('2026-11-29T12:00:00Z');
  const start = clock;
  const now = () => clock;
  const sleep = async (ms: number) => {
    clock += ms;
  };
  const sent: Array<{ method: string; at: number }> = [];
  let patches = 0;
  let gets = 0;
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    now,
    sleep,
    fetch: (_u, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      sent.push({ method, at: clock - start });
      if (method === 'GET') {
        // One page of the approver's filter, the request not on it: slow before the first send,
        // quick should a re-send read it again (it does not: what it tells was read before the first).
        clock += gets++ === 0 ? readMs : 200;
        return Promise.resolve(new Response(JSON.stringify({ value: [] }), { status: 200 }));
      }
      patches++;
      if (patches === 1) {
        clock += patchMs;
        return Promise.resolve(
          new Response(JSON.stringify({ error: { code: 'serviceNotAvailable', message: 'busy' } }), {
            status: 503,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }
      clock += 100;
      return Promise.resolve(new Response(null, { status: 204 }));
    },
  });
  const port = {
    write: gateway.write.bind(gateway),
    // The read after the lost answer: still open, answered at once.
    readState: async () => ({ state: 'InProgress', graph: NO_GRAPH }),
  };
  const service = new GovernanceService({
    cloud: 'global',
    graph: port,
    audit: () => undefined,
    newId: () => 'c1',
    now,
    sleep,
  });
  const outcome = await service.perform(target, actor, {}, commandMs);
  return { outcome, patches: sent.filter((s) => s.method === 'PATCH') };
}

describe("governance: a write's 30 s count from its first send, not from the read before it", () => {
  it('read before 12 s, PATCH 503 after 19 s, 29 s of the command left: the PATCH is sent again', async () => {
    const { outcome, patches } = await run(12_000, 19_000, 60_000);
    assert.deepEqual(
      patches.map((p) => p.at),
      [12_000, 31_000],
      'the re-send, 19 s into the write, with no read before it',
    );
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  });

  it('the 30 s from the first send still bound it: a PATCH answered after 29.5 s is not sent again', async () => {
    const { outcome, patches } = await run(12_000, 29_500, 60_000);
    assert.equal(patches.length, 1, 'less than 1 s of the write left');
    assert.ok(!outcome.ok);
    assert.match(outcome.error.message, /may or may not|not answer|failed/i);
  });

  it("and so does the command's own deadline: 0.5 s of it left after the 503, none re-sent", async () => {
    // The command's 31.5 s end 0.5 s after the 503's answer: the write's window has 11 s left, the
    // command too little for a re-send to be answered.
    const { patches } = await run(12_000, 19_000, 31_500);
    assert.equal(patches.length, 1);
  });
});
