// When the simulated tenant's approvals stop waiting. An access package stage may be pending
// durationBeforeAutomaticDenial: "The number of days that a request can be pending a response before
// it is automatically denied" (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage).
// A first stage's request has been pending since it was made (its createdDateTime), so its clock
// counts from then, not from when the tenant was seeded; a seed may carry its policy's duration. A
// PIM approval lapses 24 hours after the request was made ("Delegated approvers have 24 hours to
// approve requests ... The 24 hour approval time window isn't configurable",
// https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow),
// and the request reads as lapsed on every route, its own read and cancel included, not only once
// someone reads its approval.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROLE_REQ = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const ACCESS = '7999249e-249e-7999-9e24-99799e249f01';
const ROLE = '95c690fb-3eb3-4942-a03f-4524aed6ff01';

describe('simulated tenant: when an approval stops waiting', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let now: number;

  const access = (extra: Record<string, unknown>) =>
    tenant.addAccessRequest({
      id: ACCESS,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Finance reports',
      requestor: 'Adele Vance',
      requestType: 'userAdd',
      approvers: ['Megan Bowen'],
      ...extra,
    } as never);

  beforeEach(() => {
    seed = loadDemoSeed();
    now = Date.parse('2026-03-02T09:00:00Z');
    tenant = new SimulatedTenant(seed, { now: () => now });
  });

  it("an access package's first stage counts its 14 days from the request's createdDateTime", () => {
    access({ ageMinutes: (14 * DAY - HOUR) / 60_000 });
    now += HOUR - 1;
    assert.equal(tenant.getApproval(ACCESS)?.stages[0]?.status, 'InProgress', 'still within 14 days of the request');
    now += 1;
    assert.equal(tenant.getApproval(ACCESS)?.stages[0]?.status, 'Expired', '14 days after the request');
    assert.equal(tenant.getAccessRequest(ACCESS)?.state, 'denied');
  });

  it("a seeded request carries its policy's durationBeforeAutomaticDenial", () => {
    access({ ageMinutes: 10, durationBeforeAutomaticDenial: 'P1D' });
    now += DAY - 10 * 60_000 - 1;
    assert.equal(tenant.getApproval(ACCESS)?.stages[0]?.status, 'InProgress');
    now += 1;
    assert.equal(tenant.getApproval(ACCESS)?.stages[0]?.status, 'Expired');
    for (const bad of ['P0D', 'PT24H', '7', 'P1W']) {
      assert.throws(
        () => access({ durationBeforeAutomaticDenial: bad }),
        /durationBeforeAutomaticDenial must be whole days/,
      );
    }
  });

  it('a later stage counts from when it starts', () => {
    access({ ageMinutes: 13 * 24 * 60, approvalStages: [['Megan Bowen'], ['Patti Fernandez']] });
    const a = tenant.getApproval(ACCESS)!;
    assert.equal(a.stages[0]!.expiresAt, now + DAY);
    const bearer = graphTokenFor(tenant, seed, 'Megan Bowen');
    const url = `/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/${ACCESS}/stages/${a.stages[0]!.id}`;
    assert.equal(
      call(tenant, 'PATCH', url, { bearer, body: { reviewResult: 'Approve', justification: 'ok' } }).status,
      204,
    );
    assert.equal(tenant.getApproval(ACCESS)!.stages[1]!.expiresAt, now + 14 * DAY);
  });

  it('a PIM request whose 24 hours passed reads as lapsed on its own route and is no longer cancellable', () => {
    tenant.addRoleRequest({
      id: ROLE,
      status: 'PendingApproval',
      roleName: 'Reports Reader',
      principal: 'Adele Vance',
      justification: 'Quarter close',
      duration: 'PT1H',
      approvers: ['Megan Bowen'],
      ageMinutes: 23 * 60,
    });
    now += HOUR;
    const bearer = graphTokenFor(tenant, seed, 'Megan Bowen'); // may read and cancel any request
    const read = jsonOf<{ status: string }>(call(tenant, 'GET', `${ROLE_REQ}/${ROLE}`, { bearer }));
    assert.notEqual(read.status, 'PendingApproval', '24 hours after the request was made');
    assert.equal(call(tenant, 'POST', `${ROLE_REQ}/${ROLE}/cancel`, { bearer }).status, 400);
  });
});
