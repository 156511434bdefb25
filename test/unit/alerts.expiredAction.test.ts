// An "actions taken" alert for a decision that found its approval already ended with nobody deciding
// it (a stage that expired, or closed unreviewed: the audit line's DECIDED_ELSEWHERE with
// foundState Expired or Closed) says so, never that someone else decided it. approvalStage status
// Expired, reviewedBy the all-zero id "if the assigned reviewer hasn't reviewed"
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import { actionAlertOf } from './alerts.actionAlertOf';

function line(foundState: string | undefined, decidedBy: string | null = null): AuditLine {
  return {
    event: 'governance.action',
    operation: 'decideAccessPackageApproval',
    targetId: '7999249e-249e-7999-9e24-99799e249984',
    targetIds: ['7999249e-249e-7999-9e24-99799e249984'],
    userId: 'aad-megan',
    userName: 'Megan Bowen',
    decision: 'approve',
    outcome: 'failed',
    errorCode: 'DECIDED_ELSEWHERE',
    graphStatus: 400,
    graphRequestId: 'r-1',
    graphErrorCode: 'BadRequest',
    correlationId: 'corr-1',
    cloud: 'global',
    durationMs: 10,
    ...(foundState ? { foundState, decidedBy } : {}),
  };
}

const alertFor = (foundState: string | undefined, decidedBy: string | null = null): Promise<string> =>
  actionAlertOf(line(foundState, decidedBy));

describe('alerts: an action on an approval that ended undecided', () => {
  for (const state of ['Expired', 'Closed'])
    it(`foundState ${state}: the alert says it ended with nobody deciding it`, async () => {
      const said = await alertFor(state);
      assert.doesNotMatch(said, /someone else/i, said);
      assert.match(said, new RegExp(`ended as ${state}, with nobody deciding it`), said);
    });

  // A reviewer Graph names (not the one acting): someone else. Denied with no reviewer named is
  // alerts.approvalDecider.test.ts's.
  it('foundState Denied, a reviewer named: someone else decided it', async () => {
    assert.match(await alertFor('Denied', 'Alex Wilber'), /Someone else had already decided it/);
  });
});
