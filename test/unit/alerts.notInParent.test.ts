// A run cancelled under a workflow it does not belong to: Graph refuses with a 400 "Run with id '…'
// does not belong to workflow '…'" (graph-reference §1; the cancel names the workflow in its path,
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0).
// The run exists and may still be running: the person's card says the two ids do not go together,
// and the "actions taken" alert that the attempt's audit line publishes says the same, never that
// the item no longer exists.

import { strict as assert } from 'node:assert';
import { auditLineOf } from '../../src/domain/auditLine';
import { NotFoundError, NotInParentError } from '../../src/domain/errors';
import type { Target } from '../../src/domain/operations';
import { actionAlertOf } from './alerts.actionAlertOf';

const target: Target = {
  operation: 'cancelWorkflowRun',
  ids: { workflowId: '2c7a1f00-0000-4aaa-8bbb-000000000001', runId: '2c7a1f00-0000-4aaa-8bbb-000000000002' },
};
const graph = { status: 400, requestId: 'r-1', errorCode: 'Bad Request' };

function alertOf(error: NotFoundError): Promise<string> {
  const line = auditLineOf({ ok: false, target, error, correlationId: 'corr-1' }, 'aad-megan', 'global', 10, {
    userName: 'Megan Bowen',
  });
  return actionAlertOf(line);
}

describe('alerts: a run of another workflow', () => {
  it('the alert says the run is not under the workflow named, not that it no longer exists', async () => {
    const said = await alertOf(new NotInParentError('not under it', graph));
    assert.doesNotMatch(said, /no longer exists/, said);
    assert.match(said, /does not belong to the workflow named: the ids do not go together\./, said);
    assert.match(said, /code NOT_FOUND/, said);
  });

  it('an item Graph does not find is still said to be gone', async () => {
    const said = await alertOf(new NotFoundError('gone', { status: 404, requestId: 'r-2' }));
    assert.match(said, /it no longer exists, or they cannot see it/, said);
  });
});
