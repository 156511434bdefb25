// A principal cancels a PIM request they created without an administrator role, not one an
// administrator created for them: both PIM overviews name the self-service scenario "A principal
// cancels a role assignment request they created" and "A principal cancels a membership or
// ownership assignment request they created", and the cancel pages otherwise ask the signed-in
// user for Privileged Role Administrator (roles), or a groups role or the group's ownership or
// membership (PIM for Groups). The request's createdBy.user.id names its creator.
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-cancel?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_REQUESTS = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP_REQUESTS = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const ROLE_ASSIGNED = '95c690fb-3eb3-4942-a03f-4524aed6f3a0';
const GROUP_ASSIGNED = 'f4b57a8c-da56-4ae0-8aef-65c3a043dba0';
const ADMIN = 'Megan Bowen';

describe('simulated tenant: a PIM self-cancel is for the request its principal created', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const cancel = (name: string, url: string) =>
    call(tenant, 'POST', `${url}/cancel`, { bearer: graphTokenFor(tenant, seed, name) });

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    // Diego (RoleAssignmentSchedule.ReadWrite.Directory, no role) and Patti
    // (PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup, no role, in no group) are the
    // principals of assignments Megan made for them, starting later (Granted until then).
    tenant.addRoleRequest({
      id: ROLE_ASSIGNED,
      status: 'Granted',
      action: 'adminAssign',
      roleName: 'Reports Reader',
      principal: 'Diego Siciliani',
      createdBy: ADMIN,
      justification: 'Quarterly audit',
      duration: 'PT8H',
    });
    tenant.addGroupRequest({
      id: GROUP_ASSIGNED,
      status: 'Granted',
      action: 'adminAssign',
      groupName: 'Finance approvers',
      accessId: 'member',
      principal: 'Patti Fernandez',
      createdBy: ADMIN,
      justification: 'Quarterly audit',
      duration: 'PT8H',
    });
  });

  it('the principal without a role may not cancel a role assignment an administrator created (403)', () => {
    const r = cancel('Diego Siciliani', `${ROLE_REQUESTS}/${ROLE_ASSIGNED}`);
    assert.equal(r.status, 403, r.body);
    assert.equal(errorOf(r).code, 'Authorization_RequestDenied');
    assert.equal(tenant.getRoleRequest(ROLE_ASSIGNED)?.status, 'Granted');
    // The request names its creator, as Graph's createdBy does.
    const read = call(tenant, 'GET', `${ROLE_REQUESTS}/${ROLE_ASSIGNED}`, {
      bearer: graphTokenFor(tenant, seed, ADMIN),
    });
    const megan = seed.users.find((u) => u.displayName === ADMIN)!.id;
    assert.equal(jsonOf<{ createdBy: { user: { id: string } } }>(read).createdBy.user.id, megan);
  });

  it('the principal without a role may not cancel a group assignment an administrator created (403)', () => {
    const r = cancel('Patti Fernandez', `${GROUP_REQUESTS}/${GROUP_ASSIGNED}`);
    assert.equal(r.status, 403, r.body);
    assert.equal(errorOf(r).code, 'Authorization_RequestDenied');
  });

  it('the principal still cancels a request they created, and the administrator the one they made', () => {
    // 95c690fb-...f328: Diego's own activation, waiting for approval.
    assert.equal(cancel('Diego Siciliani', `${ROLE_REQUESTS}/95c690fb-3eb3-4942-a03f-4524aed6f328`).status, 204);
    assert.equal(cancel(ADMIN, `${ROLE_REQUESTS}/${ROLE_ASSIGNED}`).status, 204);
    assert.equal(cancel(ADMIN, `${GROUP_REQUESTS}/${GROUP_ASSIGNED}`).status, 204);
  });
});
