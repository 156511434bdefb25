// Extension and renewal requests of PIM for Entra roles and for Groups wait for an approver like an
// activation does
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend,
// "Admin approved extension", "Admin approves"), but Microsoft Graph cannot decide them: "Approval
// for extend and renew requests is currently not supported by the Microsoft Graph API"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow,
// "Approve pending requests using Microsoft Graph API"). The page does not say how Graph refuses;
// the simulated tenant answers 400 in Graph's error envelope (⚠️ README, unconfirmed facts). For
// groups no page says either way (⚠️ README, unconfirmed facts): approving a renewal the group
// administrator "must enter a new start date, end date, and assignment type" (an extension "can
// choose" them; groups-renew-extend), which the stage's decision,
// {reviewResult, justification}, cannot carry
// (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0), so the
// tenant refuses it as it refuses the role case.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';
import { GROUP_EXTEND, GROUP_RENEW, addGroupExtendAndRenew } from '../fixtures/groupExtendRenew';

const ROLE_APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const ROLE_REQ = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP = '/v1.0/identityGovernance/privilegedAccess/group';

/** Where each kind's approvals and requests live, and what its approval calls a stage. */
const KINDS = [
  {
    kind: 'PIM role',
    approvals: ROLE_APPROVALS,
    requests: ROLE_REQ,
    stages: 'steps',
    example: 'roleApprovalId',
    status: (t: SimulatedTenant, id: string) => t.getRoleRequest(id)?.status,
  },
  {
    kind: 'PIM for Groups',
    approvals: `${GROUP}/assignmentApprovals`,
    requests: `${GROUP}/assignmentScheduleRequests`,
    stages: 'stages',
    example: 'groupApprovalId',
    status: (t: SimulatedTenant, id: string) => t.getGroupRequest(id)?.status,
  },
] as const;

describe('simulated tenant: PIM extension and renewal requests', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const token = (name: string) => graphTokenFor(tenant, seed, name);

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    addGroupExtendAndRenew(tenant);
  });

  /** The pending requests with this action, as their approver lists them. */
  const waitingFor = (requests: string, name: string, action: string): Array<{ id: string; action: string }> =>
    jsonOf<{ value: Array<{ id: string; action: string }> }>(
      call(tenant, 'GET', `${requests}/filterByCurrentUser(on='approver')`, { bearer: token(name) }),
    ).value.filter((r) => r.action === action);

  for (const k of KINDS) {
    const actions = k.kind === 'PIM role' ? ['selfExtend', 'selfRenew'] : ['selfExtend', 'adminRenew'];
    for (const action of actions) {
      it(`${k.kind}: a pending ${action} request waits for Megan Bowen, and a PATCH of its stage is refused with 400`, () => {
        const [request] = waitingFor(k.requests, 'Megan Bowen', action);
        assert.ok(request, `a ${action} request waits for Megan Bowen`);
        const approval = jsonOf<Record<string, Array<{ id: string; status: string; assignedToMe: boolean }>>>(
          call(tenant, 'GET', `${k.approvals}/${request.id}`, { bearer: token('Megan Bowen') }),
        );
        const stage = approval[k.stages]![0]!;
        assert.equal(stage.status, 'InProgress');
        assert.equal(stage.assignedToMe, true);
        for (const reviewResult of ['Approve', 'Deny']) {
          const r = call(tenant, 'PATCH', `${k.approvals}/${request.id}/${k.stages}/${stage.id}`, {
            bearer: token('Megan Bowen'),
            body: { reviewResult, justification: 'Still needed' },
          });
          assert.equal(r.status, 400, r.body);
          const error = errorOf(r);
          assert.equal(error.code, 'BadRequest');
          assert.match(error.message, /extend and renew/i);
          assert.ok(error.innerError?.['request-id'], 'Graph’s envelope carries its request-id');
        }
        assert.equal(k.status(tenant, request.id), 'PendingApproval');
        assert.equal(tenant.getApproval(request.id)?.stages[0]?.status, 'InProgress');
      });
    }

    it(`${k.kind}: an activation request is still decided (the refusal is for extend and renew only)`, () => {
      const id = seed.examples[k.example];
      const stage = jsonOf<Record<string, Array<{ id: string }>>>(
        call(tenant, 'GET', `${k.approvals}/${id}`, { bearer: token('Megan Bowen') }),
      )[k.stages]![0]!;
      const r = call(tenant, 'PATCH', `${k.approvals}/${id}/${k.stages}/${stage.id}`, {
        bearer: token('Megan Bowen'),
        // PIM's default policy asks the approver for a justification (tenantApprovals.pimApproverJustification).
        body: { reviewResult: 'Approve', justification: 'Checked with the requester' },
      });
      assert.equal(r.status, 204, r.body);
    });
  }

  it('PIM for Groups: the approver’s own filter, by id, tells the request’s action (what the bot reads first)', () => {
    for (const [id, action] of [
      [GROUP_EXTEND, 'selfExtend'],
      [GROUP_RENEW, 'adminRenew'],
    ]) {
      const filter = encodeURIComponent(`id eq '${id}'`);
      const listed = jsonOf<{ value: Array<{ id: string; action: string }> }>(
        call(
          tenant,
          'GET',
          `${GROUP}/assignmentScheduleRequests/filterByCurrentUser(on='approver')?$filter=${filter}`,
          {
            bearer: token('Megan Bowen'),
          },
        ),
      ).value;
      assert.deepEqual(
        listed.map((r) => [r.id, r.action]),
        [[id, action]],
      );
    }
  });
});
