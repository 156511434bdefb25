// The simulated tenant asks the PIM role approval reads (beta) for the permissions their page
// names, no other: least RoleAssignmentSchedule.Read.Directory, higher
// RoleAssignmentSchedule.ReadWrite.Directory. RoleManagement.ReadWrite.Directory, higher for the
// role requests themselves, is not named there, so an approver whose token holds only it is
// refused (403) as Graph refuses a permission the table does not list; the step update names
// RoleAssignmentSchedule.ReadWrite.Directory alone.
// https://learn.microsoft.com/en-us/graph/api/approval-list-steps?view=graph-rest-beta
//   ("For PIM for Microsoft Entra roles": RoleAssignmentSchedule.Read.Directory; higher
//   RoleAssignmentSchedule.ReadWrite.Directory)
// https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta
//   (RoleAssignmentSchedule.ReadWrite.Directory; higher: not available)

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, graphTokenFor } from '../fixtures/tenantClient';

const ROLE_APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const APPROVER = 'Megan Bowen';

describe('simulated tenant: PIM role approval permissions per page', () => {
  /** A tenant whose approver consented to exactly `scopes`, and that approver's token. */
  const approverHolding = (scopes: string[]): { tenant: SimulatedTenant; seed: DemoSeed; token: string } => {
    const demo = loadDemoSeed();
    const seed = { ...demo, users: demo.users.map((u) => (u.displayName === APPROVER ? { ...u, scopes } : u)) };
    const tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    return { tenant, seed, token: graphTokenFor(tenant, seed, APPROVER) };
  };
  const urls = (seed: DemoSeed, tenant: SimulatedTenant): string[] => {
    const id = seed.examples.roleApprovalId;
    const step = tenant.getApproval(id)!.stages[0]!.id;
    return [`${ROLE_APPROVALS}/${id}`, `${ROLE_APPROVALS}/${id}/steps`, `${ROLE_APPROVALS}/${id}/steps/${step}`];
  };

  it('RoleManagement.ReadWrite.Directory alone neither reads an approval, its steps or a step, nor decides', () => {
    const { tenant, seed, token } = approverHolding(['User.Read', 'RoleManagement.ReadWrite.Directory']);
    for (const url of urls(seed, tenant)) {
      assert.equal(call(tenant, 'GET', url, { bearer: token }).status, 403, url);
    }
    const decide = call(tenant, 'PATCH', urls(seed, tenant)[2]!, {
      bearer: token,
      body: { reviewResult: 'Deny', justification: 'Not this week' },
    });
    assert.equal(decide.status, 403);
  });

  it('RoleAssignmentSchedule.Read.Directory reads them all but does not decide', () => {
    const { tenant, seed, token } = approverHolding(['User.Read', 'RoleAssignmentSchedule.Read.Directory']);
    for (const url of urls(seed, tenant)) {
      const r = call(tenant, 'GET', url, { bearer: token });
      assert.equal(r.status, 200, `${url}: ${r.body ?? ''}`);
    }
    const decide = call(tenant, 'PATCH', urls(seed, tenant)[2]!, {
      bearer: token,
      body: { reviewResult: 'Deny', justification: 'Not this week' },
    });
    assert.equal(decide.status, 403);
  });

  it('RoleAssignmentSchedule.ReadWrite.Directory reads and decides', () => {
    const { tenant, seed, token } = approverHolding(['User.Read', 'RoleAssignmentSchedule.ReadWrite.Directory']);
    for (const url of urls(seed, tenant)) assert.equal(call(tenant, 'GET', url, { bearer: token }).status, 200, url);
    const decide = call(tenant, 'PATCH', urls(seed, tenant)[2]!, {
      bearer: token,
      body: { reviewResult: 'Deny', justification: 'Not this week' },
    });
    assert.equal(decide.status, 204);
  });
});
