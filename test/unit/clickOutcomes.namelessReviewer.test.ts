// A button pressed on an approval whose stage Graph shows decided without naming the reviewer
// (approvalStage reviewedBy null, as approval-get's examples show it,
// https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0): it may have been
// the presser themselves, typed or on another copy of the card. The press says the state and that
// it was not applied, never "Someone else already decided", as the typed answer does ("Already
// finished another way ... Microsoft Graph does not say who").

import { strict as assert } from 'node:assert';
import { approvalViewOf } from '../../src/domain/catalog/approvalView';
import { graphStateOutcome } from '../../src/domain/clickOutcomes';
import type { Target } from '../../src/domain/operations';

const ME = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const target: Target = {
  operation: 'decideAccessPackageApproval',
  ids: { requestId: '7999249e-249e-7999-9e24-99799e249985' },
  decision: 'approve',
};

describe('a card press on an approval decided by a reviewer Graph does not name', () => {
  it('says the state and that it was not applied, not that someone else decided', () => {
    const view = approvalViewOf(
      {
        id: target.ids.requestId,
        stages: [
          {
            id: 'stage-1',
            assignedToMe: true,
            status: 'Completed',
            reviewResult: 'Denied',
            reviewedBy: null,
            reviewedDateTime: '2026-11-30T13:53:00Z',
          },
        ],
      },
      'stages',
    ) as unknown as Readonly<Record<string, unknown>>;
    const shown = graphStateOutcome(target, String(view.state), view, ME);
    assert.ok(shown.kind === 'settled');
    assert.doesNotMatch(shown.text, /someone else/i, shown.text);
    assert.match(
      shown.text,
      /^It is Denied at 13:53 UTC on 2026-11-30 now, so "Approve" was not applied\.$/,
      shown.text,
    );
  });
});
