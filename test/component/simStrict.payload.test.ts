// Does the simulated tenant read a request body only as Graph does? The write pages with a body
// mark `Content-Type: application/json` Required
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0), and Graph
// answers a body without it, or one that is not JSON, with 400 BadRequest "Unable to read JSON
// request payload. Please ensure Content-Type header is set and payload is of valid JSON format."
// (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/6337). Nothing changes.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { errorOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';
const UNREADABLE =
  'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';

describe('simulated tenant reads a body only under Content-Type: application/json', () => {
  const session = tenantSession();
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  beforeEach(() => {
    ({ seed, tenant } = session);
  });

  const refused = (r: ReturnType<typeof session.call>) => {
    assert.equal(r.status, 400, r.body);
    assert.equal(errorOf(r).code, 'BadRequest');
    assert.equal(errorOf(r).message, UNREADABLE);
  };

  it('resume: no Content-Type, a text one, or a body that is not JSON are refused; application/json resumes', () => {
    const e = seed.examples;
    const url = `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/resume`;
    const body = { data: { operationStatus: 'completed' }, source: 'sample', type: 'lifecycleEvent' };
    refused(session.call('POST', url, body, { 'content-type': '' }));
    refused(session.call('POST', url, body, { 'content-type': 'text/plain' }));
    refused(session.call('POST', url, '{"data":', { 'content-type': 'application/json' }));
    const status = () => tenant.getTaskResult(e.taskWorkflowId, e.taskId, e.taskProcessingResultId)?.processingStatus;
    assert.equal(status(), 'inProgress', 'nothing changed');
    assert.equal(session.call('POST', url, body, { 'content-type': 'application/json; charset=utf-8' }).status, 204);
  });

  it('cancelProcessing without Content-Type is refused and the run goes on', () => {
    const e = seed.examples;
    const body = {
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: e.runId }] },
    };
    refused(session.call('POST', `${LCW}/${e.workflowId}/cancelProcessing`, body, { 'content-type': '' }));
    assert.notEqual(tenant.getRun(e.workflowId, e.runId)?.processingStatus, 'canceling');
  });
});
