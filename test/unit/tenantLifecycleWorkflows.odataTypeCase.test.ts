// The type a Lifecycle Workflows action body names in `@odata.type` is matched as spelt: the
// cancelProcessing page says the scope's `@odata.type` "Must be
// `#microsoft.graph.identityGovernance.cancelRunsScope`"
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0),
// and in the entity data model Graph's types live in "All identifiers, such as names, namespaces,
// and so on, are case sensitive"
// (https://learn.microsoft.com/en-us/openspecs/windows_protocols/mc-csdl/969b9b71-803b-4906-9f26-1e891534d591).
// A type spelt in other letters names no type: refused, and nothing changes. The resume's `data`
// is a customTaskExtensionCallbackData
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { tenantSession } from '../fixtures/tenantSession';

const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';

describe('simulated tenant: an @odata.type in other letters names no type', () => {
  const session = tenantSession();

  it('cancelProcessing: a scope typed cancelrunsscope is refused; the run goes on', () => {
    const e = session.seed.examples;
    const cancel = (type: string) =>
      session.call('POST', `${LCW}/${e.workflowId}/cancelProcessing`, {
        scope: { '@odata.type': type, runs: [{ id: e.runId }] },
      });
    for (const type of [
      '#microsoft.graph.identitygovernance.cancelrunsscope',
      '#Microsoft.Graph.IdentityGovernance.CancelRunsScope',
    ]) {
      const r = cancel(type);
      assert.equal(r.status, 400, `${type}: ${r.body}`);
      assert.equal(session.tenant.getRun(e.workflowId, e.runId)?.processingStatus, 'inProgress', type);
    }
    assert.equal(cancel('#microsoft.graph.identityGovernance.cancelRunsScope').status, 204);
  });

  it('resume: data typed customtaskextensioncallbackdata is refused; the result stays in progress', () => {
    const e = session.seed.examples;
    const resume = (type: string) =>
      session.call(
        'POST',
        `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/resume`,
        { data: { '@odata.type': type, operationStatus: 'completed' }, source: 'test', type: 'lifecycleEvent' },
      );
    const r = resume('#microsoft.graph.identitygovernance.customtaskextensioncallbackdata');
    assert.equal(r.status, 400, r.body);
    assert.equal(
      session.tenant.getTaskResult(e.taskWorkflowId, e.taskId, e.taskProcessingResultId)?.processingStatus,
      'inProgress',
    );
    assert.equal(resume('#microsoft.graph.identityGovernance.customTaskExtensionCallbackData').status, 204);
  });
});
