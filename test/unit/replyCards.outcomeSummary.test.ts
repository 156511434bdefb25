// The summary of a command's answer is the line Teams shows in the activity feed and notifications
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages):
// "Cancel a PIM role assignment request: <what happened>". The card's title becomes a clause after
// the colon, so its first letter goes small, but a name in it stays a name: "microsoft graph is
// busy" or "decide this one in the microsoft entra admin center" is not how those are spelt.

import { strict as assert } from 'node:assert';
import { createReplyCards } from '../../src/bot/replyCards';
import {
  AdminCenterOnlyError,
  DomainError,
  NotFoundError,
  RefusedByGraphError,
  ThrottledError,
  UpstreamError,
} from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';

const ID = '5e1f0a11-0000-4aaa-8bbb-00000000c0de';
const GRAPH = { status: 400, requestId: null };
const cards = createReplyCards({ cloud: 'global', examples: null });

function summaryOf(target: Target, error: DomainError): string {
  return cards.outcome({ ok: false, target, error, correlationId: 'c1' }, 'Megan Bowen').summary;
}

describe('reply cards: a command’s failure summary', () => {
  const cancel: Target = { operation: 'cancelRoleRequest', ids: { requestId: ID } };
  const approve: Target = { operation: 'decideRoleApproval', ids: { requestId: ID }, decision: 'approve' };

  it('keeps Microsoft Graph and the Microsoft Entra admin center spelt as names', () => {
    const cases: Array<[Target, DomainError, RegExp]> = [
      [cancel, new ThrottledError('busy', 30, GRAPH), /: Microsoft Graph is busy$/],
      [cancel, new RefusedByGraphError('Graph refused.', GRAPH), /: refused by Microsoft Graph$/],
      [cancel, new UpstreamError('Graph failed.', GRAPH), /: Microsoft Graph failed$/],
      [approve, new AdminCenterOnlyError('selfExtend', 'PendingApproval', GRAPH), /Microsoft Entra admin center/],
    ];
    for (const [target, error, expected] of cases) {
      const summary = summaryOf(target, error);
      assert.match(summary, expected);
      assert.doesNotMatch(summary, /microsoft|entra/, summary);
    }
  });

  it('still starts an ordinary title’s clause small', () => {
    const summary = summaryOf(cancel, new NotFoundError('gone', { status: 404, requestId: null }));
    assert.match(summary, /^Cancel a PIM role assignment request: the role assignment request no longer exists$/);
  });
});
