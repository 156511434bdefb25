// The simulated tenant enforces, per call, the delegated permission AND the signed-in user's role,
// with the self-service exceptions the pages document, and refuses as Graph does: reads by id
// and what they expand.

import { strict as assert } from 'node:assert';
import { errorOf } from '../fixtures/tenantClient';
import { EM_REQ, GROUP_REQ, LCW, ROLE_REQ, accessMatrixSession } from '../fixtures/accessMatrix';

describe('simulated tenant: permission and role per call, reads by id', () => {
  const m = accessMatrixSession();

  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-get?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-get?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-get?view=graph-rest-1.0
  it('get by id is an administrator read: permission and role, even for the requester’s own item', () => {
    const s = m.self;
    for (const url of [
      `${ROLE_REQ}/${s.roleRequestIds[0]}`,
      `${GROUP_REQ}/${s.groupRequestIds[0]}`,
      `${EM_REQ}/${s.accessRequestIds[0]}`,
    ]) {
      const r = m.get('Diego Siciliani', url);
      assert.equal(r.status, 403, url);
      assert.equal(errorOf(r).code, 'Authorization_RequestDenied');
      assert.equal(m.get('Megan Bowen', url).status, 200, url);
      assert.equal(m.get('Nestor Wilke', url).status, 200, `Global Reader reads ${url}`);
    }
    // Reads need a read permission; a ReadWrite one also grants it.
    assert.equal(m.get('Adele Vance', `${EM_REQ}/${m.seed.examples.accessRequestId}`).status, 403);
    assert.equal(
      m.get('Miriam Graham', `${LCW}/${m.seed.examples.workflowId}/runs/${m.seed.examples.runId}`).status,
      403,
    );
    assert.equal(
      m.get('Lynne Robbins', `${LCW}/${m.seed.examples.workflowId}/runs/${m.seed.examples.runId}`).status,
      200,
    );
  });

  // https://learn.microsoft.com/en-us/graph/query-parameters#expand-parameter and the relationships of
  // https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0
  it('navigation properties come only with $expand; an unknown one is a 400', () => {
    const url = `${EM_REQ}/${m.seed.examples.accessRequestId}`;
    const plain = JSON.parse(m.get('Megan Bowen', url).body ?? '{}') as Record<string, unknown>;
    assert.ok(!('accessPackage' in plain) && !('requestor' in plain));
    const expanded = JSON.parse(m.get('Megan Bowen', `${url}?$expand=accessPackage,requestor`).body ?? '{}') as {
      accessPackage: { displayName: string };
      requestor: { displayName: string; objectId: string };
    };
    assert.equal(expanded.accessPackage.displayName, 'Marketing campaign tools');
    assert.equal(expanded.requestor.displayName, 'Adele Vance');
    assert.equal(m.get('Megan Bowen', `${url}?$expand=approvals`).status, 400);
    const role = JSON.parse(
      m.get('Megan Bowen', `${ROLE_REQ}/${m.seed.examples.roleRequestId}?$expand=roleDefinition`).body ?? '{}',
    ) as { roleDefinition: { displayName: string }; principal?: unknown };
    assert.equal(role.roleDefinition.displayName, 'Global Administrator');
    assert.ok(!('principal' in role));
    const e = m.seed.examples;
    const result = `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}`;
    const bare = JSON.parse(m.get('Megan Bowen', result).body ?? '{}') as Record<string, unknown>;
    assert.ok(!('subject' in bare) && !('task' in bare));
    const withSubject = JSON.parse(m.get('Megan Bowen', `${result}?$expand=subject`).body ?? '{}') as {
      subject: { displayName: string };
    };
    assert.equal(withSubject.subject.displayName, 'Adele Vance');
  });
});
