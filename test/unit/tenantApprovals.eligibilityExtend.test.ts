// An extension or renewal of an ELIGIBLE PIM assignment is an eligibility schedule request, and it
// waits for an approver like one of an active assignment: users "can request to extend eligible or
// active (assigned) roles", administrators approve it in Approve requests
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-renew-extend;
// for groups "eligible and active assignments",
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend).
// Its approver lists it with filterByCurrentUser(on='approver') over the eligibility requests
// (https://learn.microsoft.com/en-us/graph/api/unifiedroleeligibilityschedulerequest-filterbycurrentuser?view=graph-rest-1.0:
// least RoleEligibilitySchedule.ReadWrite.Directory;
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupeligibilityschedulerequest-filterbycurrentuser?view=graph-rest-1.0),
// never among the assignment requests, and Graph cannot decide it: "Approval for extend and renew
// requests is currently not supported by the Microsoft Graph API"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';
import {
  GROUP_ELIGIBLE_RENEW,
  ROLE_ELIGIBLE_EXTEND,
  addEligibleExtendAndRenew,
  withEligibilityConsent,
} from '../fixtures/eligibilityExtend';

const GROUP = '/v1.0/identityGovernance/privilegedAccess/group';
const KINDS = [
  {
    kind: 'PIM role',
    id: ROLE_ELIGIBLE_EXTEND,
    eligibility: '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
    assignment: '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
    step: (id: string) => `/beta/roleManagement/directory/roleAssignmentApprovals/${id}`,
    stages: 'steps',
    status: (t: SimulatedTenant, id: string) => t.getRoleRequest(id)?.status,
  },
  {
    kind: 'PIM for Groups',
    id: GROUP_ELIGIBLE_RENEW,
    eligibility: `${GROUP}/eligibilityScheduleRequests`,
    assignment: `${GROUP}/assignmentScheduleRequests`,
    step: (id: string) => `${GROUP}/assignmentApprovals/${id}`,
    stages: 'stages',
    status: (t: SimulatedTenant, id: string) => t.getGroupRequest(id)?.status,
  },
] as const;

describe('simulated tenant: PIM extension and renewal requests of eligible assignments', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;

  beforeEach(() => {
    seed = withEligibilityConsent(loadDemoSeed());
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    addEligibleExtendAndRenew(tenant);
  });

  /** The approver's filter, narrowed by a clause both request types document (status eq). */
  const approverList = (collection: string, name: string, query = "$filter=status eq 'PendingApproval'") =>
    call(tenant, 'GET', `${collection}/filterByCurrentUser(on='approver')?${query}`, {
      bearer: graphTokenFor(tenant, seed, name),
    });
  const withId = (r: ReturnType<typeof approverList>, id: string) =>
    jsonOf<{ value: Array<Record<string, unknown>> }>(r).value.filter((v) => v.id === id);

  it('PIM role: read-only permissions are not enough for the eligibility filter (403), as its page names only ReadWrite ones', () => {
    // unifiedroleeligibilityschedulerequest-filterbycurrentuser: least
    // RoleEligibilitySchedule.ReadWrite.Directory, higher RoleManagement.ReadWrite.Directory only
    // (https://learn.microsoft.com/en-us/graph/api/unifiedroleeligibilityschedulerequest-filterbycurrentuser?view=graph-rest-1.0).
    const readOnly = ['RoleEligibilitySchedule.Read.Directory', 'RoleManagement.Read.Directory'];
    seed = {
      ...seed,
      users: seed.users.map((u) =>
        u.displayName === 'Megan Bowen'
          ? { ...u, scopes: [...u.scopes.filter((x) => !x.startsWith('RoleEligibilitySchedule.')), ...readOnly] }
          : u,
      ),
    };
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    addEligibleExtendAndRenew(tenant);
    const r = approverList(KINDS[0].eligibility, 'Megan Bowen');
    assert.equal(r.status, 403);
  });

  for (const k of KINDS) {
    it(`${k.kind}: the approver's filter over the eligibility requests lists it with its action and approvalId; the assignment requests' does not`, () => {
      const found = withId(approverList(k.eligibility, 'Megan Bowen'), k.id);
      assert.equal(found.length, 1);
      assert.match(String(found[0]!.action), /^self(Extend|Renew)$/);
      assert.equal(found[0]!.approvalId, k.id);
      assert.match(String(found[0]!['@odata.type']), /EligibilityScheduleRequest$/);
      assert.equal(withId(approverList(k.assignment, 'Megan Bowen'), k.id).length, 0);
    });

    it(`${k.kind}: the eligibility filter needs its own permission (403 without it)`, () => {
      // Adele Vance has not consented to the eligibility permissions.
      assert.equal(approverList(k.eligibility, 'Adele Vance').status, 403);
    });

    it(`${k.kind}: a PATCH of its stage is refused (400) and the request still waits`, () => {
      const bearer = graphTokenFor(tenant, seed, 'Megan Bowen');
      const approval = jsonOf<Record<string, Array<{ id: string }>>>(call(tenant, 'GET', k.step(k.id), { bearer }));
      const stage = approval[k.stages]![0]!.id;
      const r = call(tenant, 'PATCH', `${k.step(k.id)}/${k.stages}/${stage}`, {
        bearer,
        body: { reviewResult: 'Approve', justification: 'ok' },
      });
      assert.equal(r.status, 400);
      assert.equal(k.status(tenant, k.id), 'PendingApproval');
    });
  }

  // Each eligibility request type reads as its resource page says, not as an assignment request:
  // unifiedRoleEligibilityScheduleRequest lists no $filter on id (status, principalId,
  // roleDefinitionId, directoryScopeId, appScopeId, targetScheduleId only) and neither type has
  // an activatedUsing relationship
  // (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleeligibilityschedulerequest?view=graph-rest-1.0,
  // https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupeligibilityschedulerequest?view=graph-rest-1.0).
  it('PIM role: the eligibility filter refuses $filter on id with 400 InvalidFilter, as PIM refuses a filter its type does not list', () => {
    const id = KINDS[0].id;
    const r = approverList(KINDS[0].eligibility, 'Megan Bowen', `$filter=${encodeURIComponent(`id eq '${id}'`)}`);
    assert.equal(r.status, 400, r.body);
    assert.equal(errorOf(r).code, 'InvalidFilter');
  });

  it('PIM for Groups: the eligibility filter takes $filter on id, as its page lists', () => {
    const id = KINDS[1].id;
    const r = approverList(KINDS[1].eligibility, 'Megan Bowen', `$filter=${encodeURIComponent(`id eq '${id}'`)}`);
    assert.deepEqual(
      jsonOf<{ value: Array<{ id: string }> }>(r).value.map((v) => v.id),
      [id],
    );
  });

  for (const k of KINDS) {
    it(`${k.kind}: the eligibility filter refuses $expand=activatedUsing (no such relationship) and takes principal`, () => {
      assert.equal(approverList(k.eligibility, 'Megan Bowen', '$expand=activatedUsing').status, 400);
      assert.equal(approverList(k.assignment, 'Megan Bowen', '$expand=activatedUsing').status, 200);
      assert.equal(approverList(k.eligibility, 'Megan Bowen', '$expand=principal').status, 200);
    });
  }
});
