// A collection under a workflow or task that does not exist is no empty collection: Graph answers
// 404 ("The requested resource doesn't exist", https://learn.microsoft.com/en-us/graph/errors) for the
// parent the path names, as the Lifecycle Workflows service answers an unknown workflow on its
// actions (graph-reference §1). The simulated tenant answered 200 with an empty value, so a client
// with a wrong workflow or task id was told there was nothing to see. The pages of these lists:
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-list-runs?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-task?view=graph-rest-1.0 (taskProcessingResults)

import { strict as assert } from 'node:assert';
import { jsonOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';
const NOWHERE = '00000000-0000-4000-8000-00000000dead';

describe('simulated tenant: lists under an unknown workflow or task answer 404', () => {
  const session = tenantSession();
  const get = (url: string) => session.call('GET', url, undefined, { prefer: 'include-unknown-enum-members' });

  it('the runs of an unknown workflow: 404; of a known one: 200 with its runs', () => {
    const e = session.seed.examples;
    const known = get(`${LCW}/${e.workflowId}/runs`);
    assert.equal(known.status, 200, known.body);
    assert.ok(jsonOf<{ value: unknown[] }>(known).value.length > 0);
    assert.equal(get(`${LCW}/${NOWHERE}/runs`).status, 404);
  });

  it('the task processing results of an unknown workflow or an unknown task: 404', () => {
    const e = session.seed.examples;
    const known = get(`${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults`);
    assert.equal(known.status, 200, known.body);
    assert.ok(jsonOf<{ value: unknown[] }>(known).value.length > 0);
    assert.equal(get(`${LCW}/${NOWHERE}/tasks/${e.taskId}/taskProcessingResults`).status, 404);
    assert.equal(get(`${LCW}/${e.taskWorkflowId}/tasks/${NOWHERE}/taskProcessingResults`).status, 404);
    // A task of another workflow is not a task of this one.
    const other = session.seed.workflows.find((w) => w.id !== e.taskWorkflowId)!;
    assert.equal(get(`${LCW}/${other.id}/tasks/${e.taskId}/taskProcessingResults`).status, 404);
  });
});
