// A row press whose target carries an approval moment that has passed (a press remembered for after
// its presser's sign-in before row buttons refused a moment) is answered as ended by the card-action
// service's refusal(), which already wrote its audit line. The row's checks answer it then, in the
// ended words, rather than going on to refuse it a second time (two audit lines for one press) or
// act on it; and a row's notice for an 'ended' outcome says the approval time ended, not nothing.
// A stage still pending at the moment is denied automatically
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage).

import { strict as assert } from 'node:assert';
import { noticeOf } from '../../src/bot/listOutcomes';
import { rowRefusal } from '../../src/bot/listRowChecks';
import type { ReplyCards } from '../../src/bot/replies';
import type { Click } from '../../src/domain/click';
import type { Target } from '../../src/domain/operations';
import { actor } from '../fixtures/scriptedGraph';

const ENDS_AT = Date.parse('2026-11-30T09:00:00Z');
const target: Target = {
  operation: 'decideAccessPackageApproval',
  ids: { requestId: '7999249e-249e-7999-9e24-99799e249979' },
  decision: 'approve',
  endsAt: ENDS_AT,
};
const click: Click = {
  target,
  conversationId: 'c',
  cardActivityId: 'list-card',
  actor,
  userName: 'Megan',
  audit: { via: 'list.execute' },
};

describe('list row: an approval moment that has passed', () => {
  it('is answered in the ended words, audited once (by the refusal), not refused again', async () => {
    const recorded: unknown[] = [];
    const actions = {
      refusal: async () => ({ kind: 'ended' as const, endsAt: ENDS_AT }),
      recordRefusal: (_c: Click, e: unknown) => void recorded.push(e),
    };
    const problem = await rowRefusal(actions, click, null, 'my approvals', async () => undefined);
    assert.equal(recorded.length, 0, 'no second audit line');
    assert.match(problem ?? '', /The approval time has ended\./);
    assert.match(problem ?? '', /Nothing was sent to Microsoft Graph/);
  });

  it('has a notice in words, not an empty one', () => {
    const cards = { errorWords: () => 'error' } as unknown as ReplyCards;
    const notice = noticeOf({ kind: 'ended', endsAt: ENDS_AT }, cards, target);
    assert.match(notice, /^The approval time has ended\. .*Nothing was sent to Microsoft Graph/);
  });
});
