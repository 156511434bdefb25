// A pressed card (a notification, a row of `my approvals` or `my requests`) keeps its new words in
// the chat for good, while Teams shows the time the card was posted, not when it was pressed
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/up-to-date-views:
// the card is replaced in place). "Approved by Megan Bowen at 09:05 UTC." seen days later does not
// say which day; a row beside it says "Already denied by … at 08:09 UTC on 2026-12-01". The day is said.

import { strict as assert } from 'node:assert';
import type { Click } from '../../src/domain/click';
import { decidedText, earlierStageText } from '../../src/domain/laterStage';
import type { Target } from '../../src/domain/operations';

const target: Target = {
  operation: 'decideRoleApproval',
  decision: 'approve',
  ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' },
};
const click = { target, userName: 'Megan Bowen' } as unknown as Click;
const cancel = {
  target: { operation: 'cancelRoleRequest', ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' } },
  userName: 'Megan Bowen',
} as unknown as Click;

describe('a pressed card says the day of the press, not only its time', () => {
  const at = new Date('2026-03-18T09:05:41Z');

  it('the decision done', () => {
    assert.equal(decidedText(click, at, 'no'), 'Approved by Megan Bowen at 09:05 UTC on 2026-03-18.');
  });

  it('a cancel done', () => {
    assert.equal(decidedText(cancel, at, 'no'), 'Cancelled by Megan Bowen at 09:05 UTC on 2026-03-18.');
  });

  it('an earlier stage approved outside the press', () => {
    const text = earlierStageText(click, {
      stageId: 's1',
      byId: null,
      byName: 'Lynne Robbins',
      at: '2026-03-17T23:59:00Z',
    });
    assert.match(text, /^Approved by Lynne Robbins at 23:59 UTC on 2026-03-17\. /);
  });
});
