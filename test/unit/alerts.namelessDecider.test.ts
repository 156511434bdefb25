// An "actions taken" alert for a custom task resume that found the task finished another way (the
// audit line's DECIDED_ELSEWHERE, foundState failed when completed was asked): a
// taskProcessingResult names nobody who resumed it (its properties: processingStatus,
// completedDateTime, failureReason, no decider,
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0),
// and it may have been the same person earlier in the chat, or no one (the callout's timeout). The
// alert says the state it was found in and that Graph does not say who, as the person's own card
// does, never that someone else decided it.

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import { actionAlertOf } from './alerts.actionAlertOf';

const ids = ['1d2e3f40-0000-4aaa-8bbb-000000000001', '1d2e3f40-0000-4aaa-8bbb-000000000002'];
const resultId = '1d2e3f40-0000-4aaa-8bbb-000000000003';

function line(foundState: string | undefined): AuditLine {
  return {
    event: 'governance.action',
    operation: 'resumeTask',
    targetId: resultId,
    targetIds: [...ids, resultId],
    userId: 'aad-megan',
    userName: 'Megan Bowen',
    decision: 'completed',
    outcome: 'failed',
    errorCode: 'DECIDED_ELSEWHERE',
    graphStatus: 200,
    graphRequestId: 'r-1',
    graphErrorCode: null,
    correlationId: 'corr-1',
    cloud: 'global',
    durationMs: 10,
    ...(foundState ? { foundState, decidedBy: null } : {}),
  };
}

describe('alerts: a custom task found finished another way names no decider', () => {
  it('foundState failed: the state, and that Graph does not say who', async () => {
    const said = await actionAlertOf(line('failed'));
    assert.doesNotMatch(said, /someone else/i, said);
    assert.match(said, /It had already finished as failed; Microsoft Graph does not say who\./, said);
  });

  it('no foundState: finished another way, and that Graph does not say who', async () => {
    const said = await actionAlertOf(line(undefined));
    assert.doesNotMatch(said, /someone else/i, said);
    assert.match(said, /It had already finished another way; Microsoft Graph does not say who\./, said);
  });
});
