// An "actions taken" alert for an approval found decided another way (DECIDED_ELSEWHERE): "someone
// else" only when Graph names a reviewer who is not the one acting. An approval stage's reviewedBy
// may be null (the approval-get examples show it so,
// https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0), and a stage the
// approver decided earlier (typed, or another copy of the card) names them: the person's own card
// says "Already finished another way ... does not say who" and "You already decided this"; the
// alert says the same facts, never that someone else decided.

import { strict as assert } from 'node:assert';
import { auditLineOf } from '../../src/domain/auditLine';
import { DecidedElsewhereError } from '../../src/domain/errors';
import type { Target } from '../../src/domain/operations';
import { actionAlertOf } from './alerts.actionAlertOf';

const target: Target = {
  operation: 'decideRoleApproval',
  ids: { requestId: '3e4f5a60-0000-4aaa-8bbb-000000000001' },
  decision: 'approve',
};
const graph = { status: 409, requestId: 'r-1' };

function alertOf(decidedBy: string | null, byAsker: boolean): Promise<string> {
  const error = new DecidedElsewhereError('done', 'Denied', 'approve', decidedBy, null, graph, 'afterRefusal', byAsker);
  const line = auditLineOf({ ok: false, target, error, correlationId: 'corr-1' }, 'aad-megan', 'global', 10, {
    userName: 'Megan Bowen',
  });
  return actionAlertOf(line);
}

describe('alerts: an approval found decided, by whom Graph says', () => {
  it('no reviewer named: the state, and that Graph does not say who', async () => {
    const said = await alertOf(null, false);
    assert.doesNotMatch(said, /someone else/i, said);
    assert.match(said, /It had already finished as Denied; Microsoft Graph does not say who\./, said);
  });

  it('the reviewer named is the one acting: they had decided it themselves', async () => {
    const said = await alertOf('Megan Bowen', true);
    assert.doesNotMatch(said, /someone else/i, said);
    assert.match(said, /They had already decided it themselves, as Denied\./, said);
  });

  it('another reviewer named: someone else decided it (the control)', async () => {
    const said = await alertOf('Alex Wilber', false);
    assert.match(said, /Someone else had already decided it\./, said);
  });
});
