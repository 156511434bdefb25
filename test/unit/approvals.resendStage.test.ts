// An `approve` from the approver of two consecutive stages of an access package request, typed
// or pressed on a card (neither names the stage), whose first read of the approval comes while
// stage 1 is still starting (Initializing, so it names no stage:
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0). The
// write reads the approval again for its stage and approves stage 1, but its answer is lost (a 5xx:
// its outcome is unknown, https://learn.microsoft.com/en-us/graph/errors#http-status-codes). The
// read after it shows stage 2 open for the same approver ("Only one of the selected approvers from
// each stage needs to approve a request for multi-stage approval for the request to progress to
// the next stage",
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy):
// the re-send must not decide stage 2, which its sender never saw open.

import { strict as assert } from 'node:assert';
import { NotSentError, UpstreamError } from '../../src/domain/errors';
import { GovernanceService } from '../../src/domain/governance';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { delegatedToken } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const REQUEST_ID = '7999249e-249e-7999-9e24-99799e2499c2';

/** The demo seed with one more request: stage 1 and stage 2 both Megan Bowen's. */
function seedWithTwoStagesOfMegan(): DemoSeed {
  const seed = loadDemoSeed();
  const template = seed.accessRequests.find((r) => r.state === 'pendingApproval');
  assert.ok(template);
  const two = {
    ...template,
    id: REQUEST_ID,
    requestor: 'Patti Fernandez',
    approvalStages: [['Megan Bowen'], ['Megan Bowen']],
  };
  return { ...seed, accessRequests: [...seed.accessRequests, two] };
}

/** The approval as Graph may show it while its stage starts: the open stage still Initializing. */
async function asStarting(answer: Response): Promise<Response> {
  const body = (await answer.json()) as { stages?: Array<Record<string, unknown>> };
  const stages = (body.stages ?? []).map((s) => (s.status === 'InProgress' ? { ...s, status: 'Initializing' } : s));
  assert.ok(
    stages.some((s) => s.status === 'Initializing'),
    'the read shows a stage starting',
  );
  return new Response(JSON.stringify({ ...body, stages }), { status: answer.status, headers: answer.headers });
}

function session() {
  const clock = Date.now();
  const now = () => clock;
  const seed = seedWithTwoStagesOfMegan();
  const tenant = new SimulatedTenant(seed, { now });
  const megan = seed.users[0]!;
  assert.equal(megan.displayName, 'Megan Bowen');
  const token = delegatedToken(tenant, seed, 0, BASE);
  const patched: string[] = [];
  let approvalReads = 0;
  const fetchTenant = tenantFetch(tenant, BASE);
  const svc = new GovernanceService({
    cloud: 'global',
    graph: new GraphGateway({
      graphEndpoint: BASE,
      fetch: async (url, init) => {
        const answer = await fetchTenant(url, init);
        if (init?.method === 'PATCH') {
          patched.push(String(url));
          // Applied, its answer lost.
          return new Response(JSON.stringify({ error: { code: 'GatewayTimeout', message: 'timeout' } }), {
            status: 504,
            headers: { 'content-type': 'application/json' },
          });
        }
        const approvalRead =
          (init?.method ?? 'GET') === 'GET' && String(url).includes(`/accessPackageAssignmentApprovals/${REQUEST_ID}`);
        if (approvalRead && ++approvalReads === 1) return asStarting(answer);
        return answer;
      },
      sleep: async () => undefined,
      now,
    }),
    audit: () => undefined,
    newId: () => 'c',
    now,
  });
  const actor = { aadObjectId: megan.id, getToken: async () => token };
  const target: Target = {
    operation: 'decideAccessPackageApproval',
    ids: { requestId: REQUEST_ID },
    decision: 'approve',
  };
  return { svc, actor, target, clock, patched, reads: () => approvalReads };
}

describe('an approval whose write named its stage itself, its answer lost', () => {
  for (const how of ['typed', 'pressed'] as const)
    it(`sends nothing for stage 2 (${how})`, async () => {
      const { svc, actor, target, clock, patched, reads } = session();
      const approvalReads = reads;
      const outcome = await svc.perform(how === 'typed' ? { ...target, typedAt: clock } : target, actor);
      assert.ok(approvalReads() >= 2, 'the write read the approval for its stage');
      assert.ok(patched.length >= 1, 'stage 1 was sent');
      const stages = new Set(patched.map((u) => u.split('/stages/')[1]));
      assert.equal(stages.size, 1, `one stage sent: ${patched.join(', ')}`);
      // Stage 1's outcome is what stays unknown: the person is told so, not that nothing changed.
      assert.ok(!outcome.ok, 'not told as done');
      assert.ok(outcome.error instanceof UpstreamError, String(outcome.error));
      assert.ok(!(outcome.error instanceof NotSentError), String(outcome.error));
    });
});
