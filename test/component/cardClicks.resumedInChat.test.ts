// A custom task resumed in the chat, then the other button of its card pressed by the same person.
// A taskProcessingResult names nobody who resumed it (its properties: processingStatus,
// completedDateTime, failureReason and no decider,
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0),
// and a custom task extension may also end without any person (the callout's timeout), so the
// press may not say "someone else" decided: it says the state Graph shows and that its own
// decision was not applied.

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('card press on a custom task the presser already resumed otherwise', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });

  it('reject typed, then Approve pressed: the failed state and "not applied", not "someone else"', async () => {
    const megan = r.user(0);
    const e = r.seed.examples;
    const ids = { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId };
    const approve: Target = { operation: 'resumeTask', ids, decision: 'completed' };
    await r.postCard(megan, 'card-task', approve);
    const typed = await r.message(megan, `reject task ${ids.workflowId} ${ids.taskId} ${ids.taskProcessingResultId}`);
    assert.match(JSON.stringify(typed.sent), /Rejected the custom task/);
    const pressed = JSON.stringify((await r.click(megan, approve, 'card-task')).body.value);
    assert.doesNotMatch(pressed, /[Ss]omeone else/, pressed);
    assert.match(pressed, /It is failed now, so \\"Approve\\" was not applied\./, pressed);
    assert.equal(
      r.tenant.getTaskResult(ids.workflowId, ids.taskId, ids.taskProcessingResultId)?.processingStatus,
      'failed',
    );
  });
});
