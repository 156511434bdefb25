// The approval rules Microsoft's pages state, held by the simulated tenant at least as strictly:
// - approval-get: "This API request is made by an approver"; the requester who is no approver
//   (though holding the read permission) is refused 403 ("If the caller does not have the right
//   permissions, the method returns a 403 Forbidden response code").
//   https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0
//   https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-beta
// - approvalstage-update: reviewResult "Approve" or "Deny"; another spelling is refused.
//   https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0
//   https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta
// - approvalStage / approvalStep reviewedBy: "00000000-0000-0000-0000-000000000000 if the assigned
//   reviewer hasn't reviewed".
//   https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0
//   https://learn.microsoft.com/en-us/graph/api/resources/approvalstep?view=graph-rest-beta

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const GROUP_APPROVALS = '/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals';
const EM_APPROVALS = '/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals';
const ZERO = '00000000-0000-0000-0000-000000000000';

interface Stage {
  id: string;
  status: string;
  reviewResult: string;
  reviewedBy: unknown;
}

describe('simulated tenant: approval rules as the pages state them', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const get = (name: string, url: string) => call(tenant, 'GET', url, { bearer: graphTokenFor(tenant, seed, name) });
  const stagesOf = (name: string, url: string, field = 'stages'): Stage[] =>
    jsonOf<Record<string, Stage[]>>(get(name, url))[field] ?? [];

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
  });

  it('the requester who is no approver may not read the approval, its stages or a stage (403)', () => {
    // Patti asked for the group membership and holds PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup.
    const id = seed.examples.groupApprovalId;
    const stageId = stagesOf('Megan Bowen', `${GROUP_APPROVALS}/${id}`)[0]!.id;
    for (const url of [
      `${GROUP_APPROVALS}/${id}`,
      `${GROUP_APPROVALS}/${id}/stages`,
      `${GROUP_APPROVALS}/${id}/stages/${stageId}`,
    ]) {
      const r = get('Patti Fernandez', url);
      assert.equal(r.status, 403, url);
      assert.equal(errorOf(r).code, 'Authorization_RequestDenied');
    }
    assert.equal(get('Megan Bowen', `${GROUP_APPROVALS}/${id}`).status, 200, 'an approver reads it');
  });

  it('reviewResult is Approve or Deny as the update page spells them; "approve" is refused', () => {
    const id = seed.examples.groupApprovalId;
    const stage = stagesOf('Megan Bowen', `${GROUP_APPROVALS}/${id}`)[0]!;
    const url = `${GROUP_APPROVALS}/${id}/stages/${stage.id}`;
    const patch = (reviewResult: string) =>
      call(tenant, 'PATCH', url, {
        bearer: graphTokenFor(tenant, seed, 'Megan Bowen'),
        body: { reviewResult, justification: 'Payroll run checked' },
      });
    for (const spelled of ['approve', 'APPROVE', 'deny', 'Approved']) {
      const r = patch(spelled);
      assert.equal(r.status, 400, spelled);
      assert.equal(errorOf(r).code, 'BadRequest');
    }
    assert.equal(stagesOf('Megan Bowen', `${GROUP_APPROVALS}/${id}`)[0]!.status, 'InProgress', 'nothing decided');
    assert.equal(patch('Approve').status, 204);
  });

  it('a stage not yet reviewed names the all-zero reviewer (v1.0 identity, beta userIdentity list)', () => {
    const em = stagesOf('Lynne Robbins', `${EM_APPROVALS}/${seed.examples.accessApprovalId}`);
    assert.equal(em.length, 2);
    for (const s of em) {
      assert.equal(s.reviewResult, 'NotReviewed');
      assert.equal((s.reviewedBy as { id?: unknown } | null)?.id, ZERO, JSON.stringify(s));
    }
    const steps = stagesOf('Megan Bowen', `${ROLE_APPROVALS}/${seed.examples.roleApprovalId}`, 'steps');
    const by = steps[0]!.reviewedBy as Array<{ id?: unknown }>;
    assert.ok(Array.isArray(by) && by.length === 1 && by[0]!.id === ZERO, JSON.stringify(steps[0]));
  });

  it('a decided stage names its reviewer, not the all-zero id', () => {
    const id = seed.examples.roleApprovalId;
    const step = stagesOf('Megan Bowen', `${ROLE_APPROVALS}/${id}`, 'steps')[0]!;
    const decided = call(tenant, 'PATCH', `${ROLE_APPROVALS}/${id}/steps/${step.id}`, {
      bearer: graphTokenFor(tenant, seed, 'Megan Bowen'),
      body: { reviewResult: 'Deny', justification: 'Not this week' },
    });
    assert.equal(decided.status, 204);
    const after = stagesOf('Megan Bowen', `${ROLE_APPROVALS}/${id}`, 'steps')[0]!;
    const by = after.reviewedBy as Array<{ id?: unknown; displayName?: unknown }>;
    assert.equal(by[0]?.displayName, 'Megan Bowen');
    assert.notEqual(by[0]?.id, ZERO);
  });
});
