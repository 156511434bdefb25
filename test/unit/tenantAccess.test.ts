// The simulated tenant enforces, per call, the delegated permission AND the signed-in user's role,
// with the self-service exceptions the pages document, and refuses as Graph does.

import { strict as assert } from 'node:assert';
import type { DemoSeed, DemoUser } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor } from '../fixtures/tenantClient';

const ROLE_REQ = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP_REQ = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const EM_REQ = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';
const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';

/**
 * The demo seed plus users who hold exactly one role or one permission, for the matrix below.
 * Johanna Lorenz's entitlement management role is a catalog role: she holds it on the catalog of
 * Contoso sales portal (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-delegate).
 */
function seedWith(extra: DemoUser[]): DemoSeed {
  const seed = loadDemoSeed();
  const catalogs = (seed.catalogs ?? []).map((c) =>
    c.accessPackages.includes('Contoso sales portal')
      ? {
          ...c,
          roleAssignments: [
            ...(c.roleAssignments ?? []),
            { role: 'Access package assignment manager', principal: 'Johanna Lorenz' },
          ],
        }
      : c,
  );
  return { ...seed, users: [...seed.users, ...extra], catalogs };
}
const CATALOG_SCOPES = [
  'LifecycleWorkflows.ReadWrite.All',
  'LifecycleWorkflows-Workflow.ReadWrite.All',
  'LifecycleWorkflows-Reports.Read.All',
  'RoleAssignmentSchedule.ReadWrite.Directory',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'EntitlementManagement.ReadWrite.All',
  'EntitlementMgmt-SubjectAccess.ReadWrite',
];
const person = (n: number, displayName: string, scopes: string[], roles: string[]): DemoUser => ({
  id: `b0000000-0000-4000-8000-00000000000${n}`,
  displayName,
  userPrincipalName: `${displayName.split(' ')[0]!.toLowerCase()}@contoso.example`,
  scopes,
  roles,
});
const EXTRA = [
  person(1, 'Irvin Sayers', CATALOG_SCOPES, ['Identity Governance Administrator']),
  person(2, 'Johanna Lorenz', CATALOG_SCOPES, []),
  person(3, 'Lee Gu', ['RoleManagement.ReadWrite.Directory'], ['Privileged Role Administrator']),
  person(4, 'Miriam Graham', ['LifecycleWorkflows-Workflow.ReadWrite.All'], ['Lifecycle Workflows Administrator']),
  person(5, 'Nestor Wilke', CATALOG_SCOPES, ['Global Reader']),
];

describe('simulated tenant: permission and role per call', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const tokens = new Map<string, string>();
  const as = (name: string) => {
    const t = tokens.get(name) ?? graphTokenFor(tenant, seed, name);
    tokens.set(name, t);
    return t;
  };
  const post = (name: string, url: string, body?: unknown) => call(tenant, 'POST', url, { bearer: as(name), body });
  const get = (name: string, url: string, headers?: Record<string, string>) =>
    call(tenant, 'GET', url, { bearer: as(name), ...(headers ? { headers } : {}) });
  const self = () => seed.selfService;

  beforeEach(() => {
    seed = seedWith(EXTRA);
    tenant = new SimulatedTenant(seed);
    tokens.clear();
  });

  describe('writes', () => {
    // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0
    // (write: RoleAssignmentSchedule.ReadWrite.Directory, higher RoleManagement.ReadWrite.Directory;
    // role Privileged Role Administrator) and the PIM overview scenario "A principal cancels a role
    // assignment request they created":
    // https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0
    it('PIM role cancel: own request without a role; someone else’s needs Privileged Role Administrator', () => {
      const [own] = self().roleRequestIds;
      assert.equal(post('Diego Siciliani', `${ROLE_REQ}/${own}/cancel`).status, 204);
      const others = post('Diego Siciliani', `${ROLE_REQ}/${seed.examples.roleRequestId}/cancel`);
      assert.equal(others.status, 403);
      assert.equal(errorOf(others).code, 'Authorization_RequestDenied');
      assert.equal(tenant.getRoleRequest(seed.examples.roleRequestId)?.status, 'PendingApproval');
      assert.equal(post('Megan Bowen', `${ROLE_REQ}/${seed.examples.roleRequestId}/cancel`).status, 204);
      // The higher permission alone works for an administrator.
      assert.equal(post('Lee Gu', `${ROLE_REQ}/95c690fb-3eb3-4942-a03f-4524aed6f321/cancel`).status, 204);
      // Without the permission: PIM's own 403, naming the least and the higher permission.
      const noScope = post('Adele Vance', `${ROLE_REQ}/${self().roleRequestIds[1]}/cancel`);
      assert.equal(noScope.status, 403);
      assert.equal(errorOf(noScope).code, 'UnknownError');
      assert.match(
        errorOf(noScope).message,
        /missing permission scope RoleAssignmentSchedule\.ReadWrite\.Directory,RoleManagement\.ReadWrite\.Directory/,
      );
    });

    it('PIM role cancel: an unknown id is 403 for a requester (no probing) and 404 for an administrator', () => {
      const unknown = `${ROLE_REQ}/00000000-0000-0000-0000-0000000000ff/cancel`;
      assert.equal(post('Diego Siciliani', unknown).status, 403);
      assert.equal(post('Megan Bowen', unknown).status, 404);
    });

    // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-cancel?view=graph-rest-1.0
    // (PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup; role-assignable groups: Privileged Role
    // Administrator; others: Directory Writer, Groups Administrator, Identity Governance
    // Administrator or User Administrator)
    it('PIM group cancel: own request; a groups role for other groups; PRA for role-assignable ones', () => {
      const [own] = self().groupRequestIds;
      assert.equal(post('Diego Siciliani', `${GROUP_REQ}/${own}/cancel`).status, 204);
      assert.equal(post('Diego Siciliani', `${GROUP_REQ}/${seed.examples.groupRequestId}/cancel`).status, 403);
      assert.equal(post('Irvin Sayers', `${GROUP_REQ}/${seed.examples.groupRequestId}/cancel`).status, 204);
      const tier0 = `${GROUP_REQ}/f4b57a8c-da56-4ae0-8aef-65c3a043dab5/cancel`;
      assert.equal(post('Irvin Sayers', tier0).status, 403, 'role-assignable group: IGA is not enough');
      assert.equal(post('Megan Bowen', tier0).status, 204);
    });

    // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0
    // ("End users canceling their own request: the signed-in user doesn't need an administrator
    // role ... EntitlementMgmt-SubjectAccess.ReadWrite. Administrators canceling requests submitted
    // by others: EntitlementManagement.ReadWrite.All ... Access package assignment manager ...")
    it('EM cancel: own request with the subject permission; others need ReadWrite.All and an EM role', () => {
      const e = seed.examples;
      assert.equal(post('Adele Vance', `${EM_REQ}/7999249e-249e-7999-9e24-99799e24997a/cancel`).status, 403);
      assert.equal(post('Adele Vance', `${EM_REQ}/${e.accessRequestId}/cancel`).status, 200, 'her own');
      assert.equal(post('Diego Siciliani', `${EM_REQ}/7999249e-249e-7999-9e24-99799e24997a/cancel`).status, 403);
      assert.equal(post('Diego Siciliani', `${EM_REQ}/${self().accessRequestIds[0]}/cancel`).status, 200);
      assert.equal(post('Johanna Lorenz', `${EM_REQ}/7999249e-249e-7999-9e24-99799e24997a/cancel`).status, 200);
      assert.equal(post('Megan Bowen', `${EM_REQ}/${self().accessRequestIds[1]}/cancel`).status, 200);
    });

    // https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0
    // https://learn.microsoft.com/en-us/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0
    // (Lifecycle Workflows Administrator is the least privileged role for both)
    it('LCW cancelProcessing and resume need the permission and Lifecycle Workflows Administrator', () => {
      const e = seed.examples;
      const cancel = (id: string) => ({
        scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id }] },
      });
      const noRole = post('Diego Siciliani', `${LCW}/${e.workflowId}/cancelProcessing`, cancel(e.runId));
      assert.equal(noRole.status, 403);
      assert.equal(errorOf(noRole).code, 'Authorization_RequestDenied');
      assert.equal(post('Miriam Graham', `${LCW}/${e.workflowId}/cancelProcessing`, cancel(e.runId)).status, 204);
      const resume = `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/resume`;
      const body = { data: { operationStatus: 'completed' }, source: 's', type: 'lifecycleEvent' };
      assert.equal(post('Diego Siciliani', resume, body).status, 403);
      assert.equal(post('Miriam Graham', resume, body).status, 403, 'resume needs LifecycleWorkflows.ReadWrite.All');
      assert.equal(post('Lynne Robbins', resume, body).status, 204);
    });
  });

  describe('reads', () => {
    // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-get?view=graph-rest-1.0
    // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-get?view=graph-rest-1.0
    // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-get?view=graph-rest-1.0
    it('get by id is an administrator read: permission and role, even for the requester’s own item', () => {
      const s = self();
      for (const url of [
        `${ROLE_REQ}/${s.roleRequestIds[0]}`,
        `${GROUP_REQ}/${s.groupRequestIds[0]}`,
        `${EM_REQ}/${s.accessRequestIds[0]}`,
      ]) {
        const r = get('Diego Siciliani', url);
        assert.equal(r.status, 403, url);
        assert.equal(errorOf(r).code, 'Authorization_RequestDenied');
        assert.equal(get('Megan Bowen', url).status, 200, url);
        assert.equal(get('Nestor Wilke', url).status, 200, `Global Reader reads ${url}`);
      }
      // Reads need a read permission; a ReadWrite one also grants it.
      assert.equal(get('Adele Vance', `${EM_REQ}/${seed.examples.accessRequestId}`).status, 403);
      assert.equal(get('Miriam Graham', `${LCW}/${seed.examples.workflowId}/runs/${seed.examples.runId}`).status, 403);
      assert.equal(get('Lynne Robbins', `${LCW}/${seed.examples.workflowId}/runs/${seed.examples.runId}`).status, 200);
    });

    // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
    // (on: principal, createdBy, approver, unknownFutureValue; only principal and approver
    // supported). Its note asks the signed-in user for a PIM read role (Global Reader, Security
    // Operator, Security Reader, Security Administrator or Privileged Role Administrator) and names
    // no exemption for one's own requests: the default. The PIM overview's "A principal queries their
    // role assignments" scenario names roles only for admin actions, silent on user actions
    // (https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0):
    // the alternative pimRoleMineRole=none.
    it("PIM role filterByCurrentUser asks a PIM read role by default, with or without $filter, on='principal' or 'approver'", () => {
      for (const on of ['principal', 'approver']) {
        const refused = get('Diego Siciliani', `${ROLE_REQ}/filterByCurrentUser(on='${on}')`);
        assert.equal(refused.status, 403, refused.body);
        assert.equal(errorOf(refused).code, 'Authorization_RequestDenied');
        assert.equal(get('Nestor Wilke', `${ROLE_REQ}/filterByCurrentUser(on='${on}')`).status, 200, 'Global Reader');
        assert.equal(get('Megan Bowen', `${ROLE_REQ}/filterByCurrentUser(on='${on}')`).status, 200);
      }
      // The permission table's higher RoleManagement.Read.Directory is taken too.
      const reader = person(6, 'Pradeep Gupta', ['RoleManagement.Read.Directory'], ['Security Reader']);
      tenant = new SimulatedTenant(seedWith([...EXTRA, reader]));
      seed = seedWith([...EXTRA, reader]);
      tokens.clear();
      assert.equal(get('Pradeep Gupta', `${ROLE_REQ}/filterByCurrentUser(on='principal')`).status, 200);
    });

    it("PIM role filterByCurrentUser(on='principal'): the caller's requests, narrowed by $filter id eq (pimRoleMineRole=none)", () => {
      tenant.setUnconfirmed({ pimRoleMineRole: 'none' });
      const s = self();
      const mine = get('Diego Siciliani', `${ROLE_REQ}/filterByCurrentUser(on='principal')`);
      assert.equal(mine.status, 200, mine.body);
      const ids = (JSON.parse(mine.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id);
      assert.deepEqual(ids.sort(), [...s.roleRequestIds].sort());
      const one = get(
        'Diego Siciliani',
        `${ROLE_REQ}/filterByCurrentUser(on=%27principal%27)?$filter=${encodeURIComponent(`id eq '${s.roleRequestIds[1]}'`)}`,
      );
      const value = (JSON.parse(one.body ?? '{}') as { value: Array<{ id: string; status: string }> }).value;
      assert.deepEqual(
        value.map((v) => [v.id, v.status]),
        [[s.roleRequestIds[1], 'PendingApproval']],
      );
      const approver = get('Megan Bowen', `${ROLE_REQ}/filterByCurrentUser(on='approver')`);
      const approvals = (JSON.parse(approver.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id);
      assert.ok(s.roleRequestIds.every((id) => approvals.includes(id)));
      assert.equal(get('Diego Siciliani', `${ROLE_REQ}/filterByCurrentUser(on='createdBy')`).status, 400);
      assert.equal(errorOf(get('Adele Vance', `${ROLE_REQ}/filterByCurrentUser(on='principal')`)).code, 'UnknownError');
    });

    // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
    // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroup-list-assignmentschedulerequests?view=graph-rest-1.0
    it('PIM group: filterByCurrentUser for the requester; the list requires $filter on groupId or principalId', () => {
      const s = self();
      const mine = get(
        'Diego Siciliani',
        `${GROUP_REQ}/filterByCurrentUser(on='principal')?$filter=${encodeURIComponent(`id eq '${s.groupRequestIds[0]}'`)}`,
      );
      assert.deepEqual(
        (JSON.parse(mine.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id),
        [s.groupRequestIds[0]],
      );
      assert.equal(get('Megan Bowen', GROUP_REQ).status, 400);
      const diegoId = s.requesterId;
      const listed = get('Megan Bowen', `${GROUP_REQ}?$filter=${encodeURIComponent(`principalId eq '${diegoId}'`)}`);
      assert.equal((JSON.parse(listed.body ?? '{}') as { value: unknown[] }).value.length, 2);
    });

    // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
    // The request's id is not filterable (its resource page lists $filter on state and
    // createdDateTime only): `id eq` is refused with InvalidFilter (simStrict.filters).
    it("EM filterByCurrentUser(on='target') with the subject permission; on='approver' for approvers", () => {
      const byId = get(
        'Adele Vance',
        `${EM_REQ}/filterByCurrentUser(on='target')?$filter=${encodeURIComponent(`id eq '${seed.examples.accessRequestId}'`)}`,
      );
      assert.equal(errorOf(byId).code, 'InvalidFilter');
      const all = get('Adele Vance', `${EM_REQ}/filterByCurrentUser(on='target')`);
      assert.equal(all.status, 200, all.body);
      const hers = (JSON.parse(all.body ?? '{}') as { value: Array<{ id: string; state: string }> }).value;
      assert.equal(hers.length, 2, 'both of hers, no others');
      assert.deepEqual(
        hers.filter((v) => v.id === seed.examples.accessRequestId).map((v) => v.state),
        ['pendingApproval'],
      );
      const approvals = get('Megan Bowen', `${EM_REQ}/filterByCurrentUser(on='approver')`);
      const ids = (JSON.parse(approvals.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id);
      assert.ok(ids.includes(self().accessRequestIds[0]!));
      assert.ok(!ids.includes(self().accessRequestIds[1]!), 'a submitted request awaits no approver');
      assert.equal(get('Adele Vance', `${EM_REQ}/filterByCurrentUser(on='somebody')`).status, 400);
      assert.equal(get('Adele Vance', `${EM_REQ}/filterByCurrentUser(on='target')?$filter=nonsense`).status, 400);
    });

    // https://learn.microsoft.com/en-us/graph/query-parameters#expand-parameter and the relationships of
    // https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
    // https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0
    it('navigation properties come only with $expand; an unknown one is a 400', () => {
      const url = `${EM_REQ}/${seed.examples.accessRequestId}`;
      const plain = JSON.parse(get('Megan Bowen', url).body ?? '{}') as Record<string, unknown>;
      assert.ok(!('accessPackage' in plain) && !('requestor' in plain));
      const expanded = JSON.parse(get('Megan Bowen', `${url}?$expand=accessPackage,requestor`).body ?? '{}') as {
        accessPackage: { displayName: string };
        requestor: { displayName: string; objectId: string };
      };
      assert.equal(expanded.accessPackage.displayName, 'Marketing campaign tools');
      assert.equal(expanded.requestor.displayName, 'Adele Vance');
      assert.equal(get('Megan Bowen', `${url}?$expand=approvals`).status, 400);
      const role = JSON.parse(
        get('Megan Bowen', `${ROLE_REQ}/${seed.examples.roleRequestId}?$expand=roleDefinition`).body ?? '{}',
      ) as { roleDefinition: { displayName: string }; principal?: unknown };
      assert.equal(role.roleDefinition.displayName, 'Global Administrator');
      assert.ok(!('principal' in role));
      const e = seed.examples;
      const result = `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}`;
      const bare = JSON.parse(get('Megan Bowen', result).body ?? '{}') as Record<string, unknown>;
      assert.ok(!('subject' in bare) && !('task' in bare));
      const withSubject = JSON.parse(get('Megan Bowen', `${result}?$expand=subject`).body ?? '{}') as {
        subject: { displayName: string };
      };
      assert.equal(withSubject.subject.displayName, 'Adele Vance');
    });
  });
});
