// Lifecycle Workflows' refusals in Graph's documented error envelope: the error resource's
// innerError carries the date, the request-id (the same as the response header's) and the
// client-request-id the caller sent (https://learn.microsoft.com/en-us/graph/errors, "Error
// resource type" and its JSON example). The only samples without innerError are a fork's draft of
// the cancel page (graph-reference §1), not a Microsoft page; the bot's reading of such a body is
// pinned by unit/graphErrors.test.ts.
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import type { SimResponse } from '../../src/sandbox/envelope';
import { errorOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';
const NOWHERE = '00000000-0000-4000-8000-00000000dead';
const SCOPE = '#microsoft.graph.identityGovernance.cancelRunsScope';

describe('simulated tenant: Lifecycle Workflows errors carry innerError', () => {
  const session = tenantSession();
  const send = (method: string, url: string, body?: unknown) =>
    session.call(method, url, body, { 'client-request-id': 'crid-lcw' });
  const assertEnvelope = (r: SimResponse, status: number, what: string) => {
    assert.equal(r.status, status, `${what}: ${r.body}`);
    const inner = errorOf(r).innerError;
    assert.ok(inner, `${what}: ${r.body}`);
    assert.match(inner.date ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, what);
    assert.equal(inner['request-id'], r.headers['request-id'], what);
    assert.equal(inner['client-request-id'], 'crid-lcw', what);
  };

  it('cancelProcessing: unknown workflow, bad scope, too many runs, no valid run, another workflow’s run', () => {
    const e = session.seed.examples;
    const cancel = (workflowId: string, body: unknown) => send('POST', `${LCW}/${workflowId}/cancelProcessing`, body);
    const runs = (...ids: string[]) => ({ scope: { '@odata.type': SCOPE, runs: ids.map((id) => ({ id })) } });
    assertEnvelope(cancel(NOWHERE, runs(e.runId)), 404, 'unknown workflow');
    assertEnvelope(cancel(e.workflowId, { scope: { runs: [{ id: e.runId }] } }), 400, 'not a cancelRunsScope');
    assertEnvelope(cancel(e.workflowId, runs(e.runId, NOWHERE)), 400, 'two runs');
    assertEnvelope(cancel(e.workflowId, runs(NOWHERE)), 406, 'no valid run');
    const other = session.seed.workflows.find((w) => w.id !== e.workflowId)!;
    assertEnvelope(cancel(other.id, runs(e.runId)), 400, 'run of another workflow');
  });

  it('resume and the lists under an unknown workflow or task', () => {
    const e = session.seed.examples;
    const result = `tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}`;
    assertEnvelope(send('POST', `${LCW}/${NOWHERE}/${result}/resume`, {}), 404, 'resume, unknown workflow');
    assertEnvelope(send('GET', `${LCW}/${NOWHERE}/runs`), 404, 'runs of an unknown workflow');
    assertEnvelope(
      send('GET', `${LCW}/${e.taskWorkflowId}/tasks/${NOWHERE}/taskProcessingResults`),
      404,
      'results of an unknown task',
    );
  });
});
