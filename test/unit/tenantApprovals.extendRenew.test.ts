// Extension and renewal requests of PIM for Entra roles wait for an approver like an activation
// does, but Microsoft Graph cannot decide them: "Approval for extend and renew requests is
// currently not supported by the Microsoft Graph API"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow,
// "Approve pending requests using Microsoft Graph API"). The page does not say how Graph refuses;
// the simulated tenant answers 400 in Graph's error envelope (⚠️ README, unconfirmed facts).

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const ROLE_REQ = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';

describe('simulated tenant: PIM role extension and renewal requests', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const token = (name: string) => graphTokenFor(tenant, seed, name);

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
  });

  /** The seed's pending role requests with this action, as its approver lists them. */
  const waitingFor = (name: string, action: string): Array<{ id: string; action: string }> =>
    jsonOf<{ value: Array<{ id: string; action: string }> }>(
      call(tenant, 'GET', `${ROLE_REQ}/filterByCurrentUser(on='approver')`, { bearer: token(name) }),
    ).value.filter((r) => r.action === action);

  for (const action of ['selfExtend', 'selfRenew']) {
    it(`the seed has a pending ${action} request waiting for Megan Bowen, and a PATCH of its step is refused with 400`, () => {
      const [request] = waitingFor('Megan Bowen', action);
      assert.ok(request, `a ${action} request waits for Megan Bowen`);
      const approval = jsonOf<{ steps: Array<{ id: string; status: string; assignedToMe: boolean }> }>(
        call(tenant, 'GET', `${ROLE_APPROVALS}/${request.id}`, { bearer: token('Megan Bowen') }),
      );
      const step = approval.steps[0]!;
      assert.equal(step.status, 'InProgress');
      assert.equal(step.assignedToMe, true);
      for (const reviewResult of ['Approve', 'Deny']) {
        const r = call(tenant, 'PATCH', `${ROLE_APPROVALS}/${request.id}/steps/${step.id}`, {
          bearer: token('Megan Bowen'),
          body: { reviewResult, justification: 'Still needed' },
        });
        assert.equal(r.status, 400, r.body);
        const error = errorOf(r);
        assert.equal(error.code, 'BadRequest');
        assert.match(error.message, /extend and renew/i);
        assert.ok(error.innerError?.['request-id'], 'Graph’s envelope carries its request-id');
      }
      assert.equal(tenant.getRoleRequest(request.id)?.status, 'PendingApproval');
      assert.equal(tenant.getApproval(request.id)?.stages[0]?.status, 'InProgress');
    });
  }

  it('an activation request is still decided (the refusal is for extend and renew only)', () => {
    const id = seed.examples.roleApprovalId;
    const step = jsonOf<{ steps: Array<{ id: string }> }>(
      call(tenant, 'GET', `${ROLE_APPROVALS}/${id}`, { bearer: token('Megan Bowen') }),
    ).steps[0]!;
    const r = call(tenant, 'PATCH', `${ROLE_APPROVALS}/${id}/steps/${step.id}`, {
      bearer: token('Megan Bowen'),
      body: { reviewResult: 'Approve' },
    });
    assert.equal(r.status, 204, r.body);
  });
});
