// An approver of two consecutive stages of an access package request sends `approve
// access-request <id>` twice before the first answer comes (approvals.typedTwice.test.ts). Here the
// second command's first read of the approval comes while the stage after the one just approved is
// still starting: Graph lists a stage's status as InProgress, Initializing, Completed or Expired
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0), and
// "Only one of the selected approvers from each stage needs to approve a request for multi-stage
// approval for the request to progress to the next stage"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// That read names no stage (none of the sender's is open), so the write reads the approval again
// for the stage it sends, and by then stage 2 is InProgress. That read must not decide stage 2
// either: the command was sent before its sender approved stage 1.

import { strict as assert } from 'node:assert';
import { InvalidStateError } from '../../src/domain/errors';
import { GovernanceService } from '../../src/domain/governance';
import { SentBeforeOwnStageError } from '../../src/domain/namedStage';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { delegatedToken } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const REQUEST_ID = '7999249e-249e-7999-9e24-99799e2499c1';

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

/** The approval as Graph may show it while its next stage starts: an open stage still Initializing. */
async function asStarting(answer: Response): Promise<Response> {
  const body = (await answer.json()) as { stages?: Array<Record<string, unknown>> };
  const stages = (body.stages ?? []).map((s) => (s.status === 'InProgress' ? { ...s, status: 'Initializing' } : s));
  assert.ok(
    stages.some((s) => s.status === 'Initializing'),
    'the read shows a stage starting',
  );
  return new Response(JSON.stringify({ ...body, stages }), { status: answer.status, headers: answer.headers });
}

describe('a typed approval sent twice, read first while the next stage starts', () => {
  let clock = Date.now();
  const now = () => clock;
  const seed = seedWithTwoStagesOfMegan();
  const tenant = new SimulatedTenant(seed, { now });
  const megan = seed.users[0]!;
  assert.equal(megan.displayName, 'Megan Bowen');
  const token = delegatedToken(tenant, seed, 0, BASE);
  let patches = 0;
  let starting = false;
  const fetchTenant = tenantFetch(tenant, BASE);
  const svc = new GovernanceService({
    cloud: 'global',
    graph: new GraphGateway({
      graphEndpoint: BASE,
      fetch: async (url, init) => {
        if (init?.method === 'PATCH') patches++;
        const answer = await fetchTenant(url, init);
        const approvalRead =
          (init?.method ?? 'GET') === 'GET' && String(url).includes(`/accessPackageAssignmentApprovals/${REQUEST_ID}`);
        if (!starting || !approvalRead) return answer;
        starting = false;
        return asStarting(answer);
      },
      sleep: async () => undefined,
      now,
    }),
    audit: () => undefined,
    newId: () => 'c',
    now,
  });
  const actor = { aadObjectId: megan.id, getToken: async () => token };
  const typed = (at: number): Target => ({
    operation: 'decideAccessPackageApproval',
    ids: { requestId: REQUEST_ID },
    decision: 'approve',
    typedAt: at,
  });

  it('the write’s own read finds stage 2 open and sends nothing for it; a command sent later decides it', async () => {
    const first = await svc.perform(typed(clock), actor);
    assert.ok(first.ok, 'stage 1 approved');
    assert.equal(patches, 1);

    clock += 800;
    starting = true;
    const second = await svc.perform(typed(clock), actor);
    assert.equal(starting, false, 'the first read saw stage 2 starting');
    assert.ok(!second.ok, 'the second send decides nothing');
    assert.ok(second.error instanceof SentBeforeOwnStageError, String(second.error));
    assert.ok(second.error instanceof InvalidStateError);
    assert.equal(patches, 1, 'no PATCH for stage 2');

    clock += 60_000;
    const third = await svc.perform(typed(clock), actor);
    assert.ok(third.ok, 'stage 2 approved');
    assert.equal(patches, 2);
  });
});
