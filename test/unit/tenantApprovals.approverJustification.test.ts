// An access package policy may require approvers to justify an approval: the stage's
// isApproverJustificationRequired, "Indicates whether the approver is required to provide a
// justification for approving a request"
// (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage?view=graph-rest-1.0).
// The simulated tenant refuses such an approval without one, as strict as Graph at least (the
// decision itself: https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { seedWithApproverJustification } from '../fixtures/approverJustificationSeed';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const APPROVALS = '/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals';

describe('simulated tenant: an approval whose policy requires the approver to justify it', () => {
  const now = () => Date.parse('2026-03-02T09:00:00Z');

  const approve = (seed: DemoSeed, tenant: SimulatedTenant, body: Record<string, unknown>) => {
    const id = seed.examples.accessApprovalId;
    const bearer = graphTokenFor(tenant, seed, 'Megan Bowen');
    const stage = jsonOf<{ stages: Array<{ id: string }> }>(call(tenant, 'GET', `${APPROVALS}/${id}`, { bearer }))
      .stages[0]!;
    return call(tenant, 'PATCH', `${APPROVALS}/${id}/stages/${stage.id}`, { bearer, body });
  };

  it('refuses an approval without a justification, and leaves the stage open', () => {
    const seed = seedWithApproverJustification(true);
    const tenant = new SimulatedTenant(seed, { now });
    for (const body of [{ reviewResult: 'Approve' }, { reviewResult: 'Approve', justification: '  ' }]) {
      const r = approve(seed, tenant, body);
      assert.equal(r.status, 400, r.body);
      assert.equal(errorOf(r).code, 'BadRequest');
      assert.match(errorOf(r).message, /justification is required/);
    }
    assert.equal(tenant.getApproval(seed.examples.accessApprovalId)?.stages[0]?.status, 'InProgress');
  });

  it('takes the approval with a justification', () => {
    const seed = seedWithApproverJustification(true);
    const tenant = new SimulatedTenant(seed, { now });
    const r = approve(seed, tenant, { reviewResult: 'Approve', justification: 'Quarter close, confirmed' });
    assert.equal(r.status, 204, r.body);
  });

  it('takes an approval without one when the policy does not ask for it', () => {
    const seed = seedWithApproverJustification(false);
    const tenant = new SimulatedTenant(seed, { now });
    assert.equal(approve(seed, tenant, { reviewResult: 'Approve' }).status, 204);
  });
});
