// The operation catalog (src/domain/operations.ts): one complete entry per operation with the facts
// of its seed, the exact request bodies of contract §4, and paths filled only with GUIDs.

import { strict as assert } from 'node:assert';
import { CATALOG, OPERATION_NAMES, fillPath, targetIdOf } from '../../src/domain/operations';
import { R, W, roleTarget, runTarget } from '../fixtures/scriptedGraph';

describe('operation catalog', () => {
  it('has one complete entry per operation with the seeds facts', () => {
    for (const name of OPERATION_NAMES) {
      const spec = CATALOG[name];
      assert.equal(spec.name, name);
      // A seed file for the five seeded operations; the reference's sections for the approvals.
      assert.match(spec.seed, /^(00\d-|graph-reference §)/);
      assert.ok(spec.permission.least.length > 0);
      assert.ok(spec.role.length > 0);
      assert.ok(spec.clouds.includes('global'));
      assert.ok(spec.allowedStates.length > 0 && spec.doneStates.length > 0);
    }
    assert.deepEqual(CATALOG.cancelWorkflowRun.clouds, ['global']);
    assert.equal(CATALOG.cancelAccessPackageRequest.successStatus, 200);
    assert.equal(CATALOG.resumeTask.successStatus, 204);
  });

  it('builds the exact bodies of contract §4', () => {
    assert.deepEqual(CATALOG.cancelWorkflowRun.body(runTarget), {
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: R }] },
    });
    assert.equal(CATALOG.cancelRoleRequest.body(roleTarget), undefined);
    const resume = CATALOG.resumeTask.body({
      operation: 'resumeTask',
      ids: { workflowId: W, taskId: W, taskProcessingResultId: R },
      decision: 'failed',
    }) as { data: { operationStatus: string }; source: string; type: string };
    assert.equal(resume.data.operationStatus, 'failed');
    assert.equal(resume.type, 'lifecycleEvent');
    assert.ok(resume.source.length > 0);
  });

  it('fills paths only with GUIDs', () => {
    assert.equal(
      fillPath(CATALOG.cancelWorkflowRun.path, { workflowId: W.toUpperCase() }),
      `/identityGovernance/lifecycleWorkflows/workflows/${W}/cancelProcessing`,
    );
    assert.throws(() => fillPath(CATALOG.cancelRoleRequest.path, { requestId: '../x' }), /not a GUID/);
    assert.throws(() => fillPath(CATALOG.cancelRoleRequest.path, {}), /not a GUID/);
    assert.equal(targetIdOf(runTarget), R);
  });
});
