// Extension and renewal requests of PIM for Groups wait for an approver like an activation does
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend,
// "Admin approved extension", "Admin approves"). Microsoft Graph cannot decide them for roles:
// "Approval for extend and renew requests is currently not supported by the Microsoft Graph API"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// No page says either way for groups (⚠️ README, unconfirmed facts), and the group approver "must
// enter a new start date, end date, and assignment type" (groups-renew-extend), which the stage's
// decision, {reviewResult, justification}, cannot carry
// (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0). So the
// simulated tenant refuses it as it refuses the role case: 400 in Graph's error envelope.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const GROUP = '/v1.0/identityGovernance/privilegedAccess/group';
const EXTEND = 'f4b57a8c-da56-4ae0-8aef-65c3a043dbe1';
const RENEW = 'f4b57a8c-da56-4ae0-8aef-65c3a043dbe2';

describe('simulated tenant: PIM for Groups extension and renewal requests', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const token = (name: string) => graphTokenFor(tenant, seed, name);

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    for (const [id, action] of [
      [EXTEND, 'selfExtend'],
      [RENEW, 'adminRenew'],
    ] as const) {
      tenant.addGroupRequest({
        id,
        status: 'PendingApproval',
        action,
        groupName: 'Payroll admins',
        accessId: 'member',
        principal: 'Isaiah Langer',
        justification: 'Payroll runs another quarter',
        duration: 'P90D',
        approvers: ['Megan Bowen'],
        ageMinutes: 5,
      });
    }
  });

  for (const [id, action] of [
    [EXTEND, 'selfExtend'],
    [RENEW, 'adminRenew'],
  ] as const) {
    it(`lists the ${action} request with its action to its approver, and refuses a PATCH of its stage with 400`, () => {
      const listed = jsonOf<{ value: Array<{ id: string; action: string }> }>(
        call(
          tenant,
          'GET',
          `${GROUP}/assignmentScheduleRequests/filterByCurrentUser(on='approver')?$filter=${encodeURIComponent(`id eq '${id}'`)}`,
          { bearer: token('Megan Bowen') },
        ),
      ).value;
      assert.deepEqual(
        listed.map((r) => [r.id, r.action]),
        [[id, action]],
      );
      const approval = jsonOf<{ stages: Array<{ id: string; status: string; assignedToMe: boolean }> }>(
        call(tenant, 'GET', `${GROUP}/assignmentApprovals/${id}`, { bearer: token('Megan Bowen') }),
      );
      const stage = approval.stages[0]!;
      assert.equal(stage.status, 'InProgress');
      assert.equal(stage.assignedToMe, true);
      for (const reviewResult of ['Approve', 'Deny']) {
        const r = call(tenant, 'PATCH', `${GROUP}/assignmentApprovals/${id}/stages/${stage.id}`, {
          bearer: token('Megan Bowen'),
          body: { reviewResult, justification: 'Still needed' },
        });
        assert.equal(r.status, 400, r.body);
        const error = errorOf(r);
        assert.equal(error.code, 'BadRequest');
        assert.match(error.message, /extend and renew/i);
        assert.ok(error.innerError?.['request-id'], 'Graph’s envelope carries its request-id');
      }
      assert.equal(tenant.getGroupRequest(id)?.status, 'PendingApproval');
      assert.equal(tenant.getApproval(id)?.stages[0]?.status, 'InProgress');
    });
  }

  it('a group activation request is still decided (the refusal is for extend and renew only)', () => {
    const id = seed.examples.groupApprovalId;
    const stage = jsonOf<{ stages: Array<{ id: string }> }>(
      call(tenant, 'GET', `${GROUP}/assignmentApprovals/${id}`, { bearer: token('Megan Bowen') }),
    ).stages[0]!;
    const r = call(tenant, 'PATCH', `${GROUP}/assignmentApprovals/${id}/stages/${stage.id}`, {
      bearer: token('Megan Bowen'),
      body: { reviewResult: 'Approve' },
    });
    assert.equal(r.status, 204, r.body);
  });
});
