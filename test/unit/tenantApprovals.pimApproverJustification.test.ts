// PIM's default role settings ask an approver for a justification: the Approval_EndUser_Assignment
// rule of a role's default policy has an approval stage with "isApproverJustificationRequired":
// true (https://learn.microsoft.com/en-us/graph/api/unifiedrolemanagementpolicy-list-rules?view=graph-rest-1.0,
// rule type https://learn.microsoft.com/en-us/graph/api/resources/unifiedrolemanagementpolicyapprovalrule?view=graph-rest-1.0),
// and PIM for Groups uses the same policy model. So a PIM approval sent without one is refused,
// unless the seed says the policy does not ask for it; the stage stays open. The decision itself:
// a role's step (https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta),
// a group's stage (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).
// How Graph refuses it is an assumption, not documented: those pages list 204, 403, 404 and 409
// only. The simulated tenant answers 400 BadRequest in Graph's error envelope, the strictest
// plausible answer (README, "Facts Microsoft has not confirmed"); the bot reads nothing from its message:
// a 400 or 409 while the stage still waits is answered by refusedWhileOpen (cards/refusalWording.ts).

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const GROUP_APPROVALS = '/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals';

const KINDS = [
  { kind: 'role', base: ROLE_APPROVALS, stages: 'steps', id: (s: DemoSeed) => s.examples.roleApprovalId },
  { kind: 'group', base: GROUP_APPROVALS, stages: 'stages', id: (s: DemoSeed) => s.examples.groupApprovalId },
] as const;

function withoutApproverJustification(seed: DemoSeed): DemoSeed {
  const off = <T extends { id: string }>(r: T) =>
    [seed.examples.roleApprovalId, seed.examples.groupApprovalId].includes(r.id)
      ? { ...r, approverJustificationRequired: false }
      : r;
  return { ...seed, roleRequests: seed.roleRequests.map(off), groupRequests: seed.groupRequests.map(off) };
}

describe('simulated tenant: PIM approvals ask the approver for a justification by default', () => {
  const now = () => Date.parse('2026-03-02T09:00:00Z');

  for (const k of KINDS) {
    const decide = (seed: DemoSeed, tenant: SimulatedTenant, body: Record<string, unknown>) => {
      const id = k.id(seed);
      const bearer = graphTokenFor(tenant, seed, 'Megan Bowen');
      const approval = jsonOf<Record<string, Array<{ id: string }>>>(
        call(tenant, 'GET', `${k.base}/${id}`, { bearer }),
      );
      const stage = approval[k.stages]![0]!;
      return call(tenant, 'PATCH', `${k.base}/${id}/${k.stages}/${stage.id}`, { bearer, body });
    };

    it(`${k.kind}: refuses an approval without a justification, and the stage stays open`, () => {
      const seed = loadDemoSeed();
      const tenant = new SimulatedTenant(seed, { now });
      for (const body of [{ reviewResult: 'Approve' }, { reviewResult: 'Approve', justification: ' ' }]) {
        const r = decide(seed, tenant, body);
        assert.equal(r.status, 400, r.body);
        assert.equal(errorOf(r).code, 'BadRequest');
        assert.match(errorOf(r).message, /justification is required/);
      }
      assert.equal(tenant.getApproval(k.id(seed))?.stages[0]?.status, 'InProgress');
    });

    it(`${k.kind}: takes an approval with a justification`, () => {
      const seed = loadDemoSeed();
      const tenant = new SimulatedTenant(seed, { now });
      assert.equal(decide(seed, tenant, { reviewResult: 'Approve', justification: 'Change ticket 4711' }).status, 204);
    });

    it(`${k.kind}: takes one without a justification when the seed's policy does not ask for it`, () => {
      const seed = withoutApproverJustification(loadDemoSeed());
      const tenant = new SimulatedTenant(seed, { now });
      assert.equal(decide(seed, tenant, { reviewResult: 'Approve' }).status, 204);
    });
  }
});
