// The simulated tenant enforces, per call, the delegated permission AND the signed-in user's role,
// with the self-service exceptions the pages document, and refuses as Graph does: the writes
// (cancel, cancelProcessing, resume).

import { strict as assert } from 'node:assert';
import { errorOf } from '../fixtures/tenantClient';
import { EM_REQ, GROUP_REQ, LCW, ROLE_REQ, accessMatrixSession } from '../fixtures/accessMatrix';

describe('simulated tenant: permission and role per call, writes', () => {
  const m = accessMatrixSession();

  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0
  // (write: RoleAssignmentSchedule.ReadWrite.Directory, higher RoleManagement.ReadWrite.Directory;
  // role Privileged Role Administrator) and the PIM overview scenario "A principal cancels a role
  // assignment request they created":
  // https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0
  it('PIM role cancel: own request without a role; someone else’s needs Privileged Role Administrator', () => {
    const [own] = m.self.roleRequestIds;
    assert.equal(m.post('Diego Siciliani', `${ROLE_REQ}/${own}/cancel`).status, 204);
    const others = m.post('Diego Siciliani', `${ROLE_REQ}/${m.seed.examples.roleRequestId}/cancel`);
    assert.equal(others.status, 403);
    assert.equal(errorOf(others).code, 'Authorization_RequestDenied');
    assert.equal(m.tenant.getRoleRequest(m.seed.examples.roleRequestId)?.status, 'PendingApproval');
    assert.equal(m.post('Megan Bowen', `${ROLE_REQ}/${m.seed.examples.roleRequestId}/cancel`).status, 204);
    // The higher permission alone works for an administrator.
    assert.equal(m.post('Lee Gu', `${ROLE_REQ}/95c690fb-3eb3-4942-a03f-4524aed6f321/cancel`).status, 204);
    // Without the permission: PIM's own 403, naming the least and the higher permission.
    const noScope = m.post('Adele Vance', `${ROLE_REQ}/${m.self.roleRequestIds[1]}/cancel`);
    assert.equal(noScope.status, 403);
    assert.equal(errorOf(noScope).code, 'UnknownError');
    assert.match(
      errorOf(noScope).message,
      /missing permission scope RoleAssignmentSchedule\.ReadWrite\.Directory,RoleManagement\.ReadWrite\.Directory/,
    );
  });

  it('PIM role cancel: an unknown id is 403 for a requester (no probing) and 404 for an administrator', () => {
    const unknown = `${ROLE_REQ}/00000000-0000-0000-0000-0000000000ff/cancel`;
    assert.equal(m.post('Diego Siciliani', unknown).status, 403);
    assert.equal(m.post('Megan Bowen', unknown).status, 404);
  });

  // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-cancel?view=graph-rest-1.0
  // (PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup; role-assignable groups: Privileged Role
  // Administrator; others: Directory Writer, Groups Administrator, Identity Governance
  // Administrator or User Administrator)
  it('PIM group cancel: own request; a groups role for other groups; PRA for role-assignable ones', () => {
    const [own] = m.self.groupRequestIds;
    assert.equal(m.post('Diego Siciliani', `${GROUP_REQ}/${own}/cancel`).status, 204);
    assert.equal(m.post('Diego Siciliani', `${GROUP_REQ}/${m.seed.examples.groupRequestId}/cancel`).status, 403);
    assert.equal(m.post('Irvin Sayers', `${GROUP_REQ}/${m.seed.examples.groupRequestId}/cancel`).status, 204);
    const tier0 = `${GROUP_REQ}/f4b57a8c-da56-4ae0-8aef-65c3a043dab5/cancel`;
    assert.equal(m.post('Irvin Sayers', tier0).status, 403, 'role-assignable group: IGA is not enough');
    assert.equal(m.post('Megan Bowen', tier0).status, 204);
  });

  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0
  // ("End users canceling their own request: the signed-in user doesn't need an administrator
  // role ... EntitlementMgmt-SubjectAccess.ReadWrite. Administrators canceling requests submitted
  // by others: EntitlementManagement.ReadWrite.All ... Access package assignment manager ...")
  it('EM cancel: own request with the subject permission; others need ReadWrite.All and an EM role', () => {
    const e = m.seed.examples;
    assert.equal(m.post('Adele Vance', `${EM_REQ}/7999249e-249e-7999-9e24-99799e24997a/cancel`).status, 403);
    assert.equal(m.post('Adele Vance', `${EM_REQ}/${e.accessRequestId}/cancel`).status, 200, 'her own');
    assert.equal(m.post('Diego Siciliani', `${EM_REQ}/7999249e-249e-7999-9e24-99799e24997a/cancel`).status, 403);
    assert.equal(m.post('Diego Siciliani', `${EM_REQ}/${m.self.accessRequestIds[0]}/cancel`).status, 200);
    assert.equal(m.post('Johanna Lorenz', `${EM_REQ}/7999249e-249e-7999-9e24-99799e24997a/cancel`).status, 200);
    assert.equal(m.post('Megan Bowen', `${EM_REQ}/${m.self.accessRequestIds[1]}/cancel`).status, 200);
  });

  // https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0
  // (Lifecycle Workflows Administrator is the least privileged role for both)
  it('LCW cancelProcessing and resume need the permission and Lifecycle Workflows Administrator', () => {
    const e = m.seed.examples;
    const cancel = (id: string) => ({
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id }] },
    });
    const noRole = m.post('Diego Siciliani', `${LCW}/${e.workflowId}/cancelProcessing`, cancel(e.runId));
    assert.equal(noRole.status, 403);
    assert.equal(errorOf(noRole).code, 'Authorization_RequestDenied');
    assert.equal(m.post('Miriam Graham', `${LCW}/${e.workflowId}/cancelProcessing`, cancel(e.runId)).status, 204);
    const resume = `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/resume`;
    const body = { data: { operationStatus: 'completed' }, source: 's', type: 'lifecycleEvent' };
    assert.equal(m.post('Diego Siciliani', resume, body).status, 403);
    assert.equal(m.post('Miriam Graham', resume, body).status, 403, 'resume needs LifecycleWorkflows.ReadWrite.All');
    assert.equal(m.post('Lynne Robbins', resume, body).status, 204);
  });
});
