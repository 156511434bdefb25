// A run cancelled under a workflow it does not belong to: the cancel names the workflow in its path
// and the run in its body ("POST /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/cancelProcessing",
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0),
// and the refusal for a run of another workflow is a 400 "Run with id '…' does not belong to
// workflow '…'" (graph-reference §1, the only sample of it). The run exists and may still be
// running: the card must not say it no longer exists, nor that nothing is left to do, but that the
// two ids do not go together.

import { strict as assert } from 'node:assert';
import { Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('cancel run: a run of another workflow', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });

  it('says the run is not in the workflow named, and the run goes on', async () => {
    const e = r.seed.examples;
    const other = r.seed.workflows.find((w) => w.id !== e.workflowId)!;
    const { sent } = await r.message(r.user(0), `cancel run ${other.id} ${e.runId}`);
    const card = cardsOf(sent);
    assert.doesNotMatch(card, /no longer exists/, card);
    assert.doesNotMatch(card, /nothing left to do/, card);
    assert.match(card, /does not belong to the workflow/, card);
    assert.match(card, /Check the workflowId/, card);
    assert.equal(r.tenant.getRun(e.workflowId, e.runId)?.processingStatus, 'inProgress');
    const line = r.logs.find((l) => l.event === 'governance.action');
    assert.equal(line?.errorCode, 'NOT_FOUND');
    assert.equal(line?.graphStatus, 400);
  });
});
