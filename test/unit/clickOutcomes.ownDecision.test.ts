// A button pressed on an approval its presser already decided elsewhere (a typed `deny`, another
// copy of the card) is not "Someone else already decided ... by <the presser>": Graph's read names
// the stage's reviewer (approvalStage `reviewedBy`, an identity with its `id`), and when that is
// the presser the card says it was already decided, by whom and when, without "someone else".
// The typed command's answer already tells the same case apart (DECIDED_ELSEWHERE, byAsker).
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { approvalViewOf } from '../../src/domain/catalog/approvalView';
import { graphStateOutcome } from '../../src/domain/clickOutcomes';
import type { Target } from '../../src/domain/operations';

const ME = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const OTHER = 'a1b2c3d4-6666-4aaa-8bbb-0000000000a6';
const target: Target = {
  operation: 'decideAccessPackageApproval',
  ids: { requestId: '7999249e-249e-7999-9e24-99799e249984' },
  decision: 'approve',
};

/** The approval as Graph returns it, one stage finished as Deny by `reviewer`. */
function deniedBy(id: string, displayName: string): Readonly<Record<string, unknown>> {
  const view = approvalViewOf(
    {
      id: target.ids.requestId,
      stages: [
        {
          id: 'stage-1',
          assignedToMe: true,
          status: 'Completed',
          reviewResult: 'Denied',
          reviewedBy: { id, displayName },
          reviewedDateTime: '2026-11-30T13:53:00Z',
        },
      ],
    },
    'stages',
  );
  return view as unknown as Readonly<Record<string, unknown>>;
}

describe('a card press on an approval its presser already decided', () => {
  it('does not say someone else decided when the reviewer Graph names is the presser', () => {
    const item = deniedBy(ME, 'Megan Bowen');
    const shown = graphStateOutcome(target, String(item.state), item, ME);
    assert.ok(shown.kind === 'settled');
    assert.doesNotMatch(shown.text, /someone else/i);
    assert.match(
      shown.text,
      /^Already denied by Megan Bowen at 13:53 UTC on 2026-11-30, so "Approve" was not applied\.$/,
    );
  });

  it('still says someone else decided when the reviewer is another person', () => {
    const item = deniedBy(OTHER, 'Lynne Robbins');
    const shown = graphStateOutcome(target, String(item.state), item, ME);
    assert.ok(shown.kind === 'settled');
    assert.match(shown.text, /^Someone else already decided: it is Denied by Lynne Robbins/);
  });
});
