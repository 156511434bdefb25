// A pressed card's notice for an approval decided already (a notification's card, a row of `my
// approvals`) stays in the chat for good under the time the card was posted, as a typed decision's
// answer does under the time its command was sent: both say the moment of the decision the one way,
// "13:53 UTC on 2026-11-30" (laterStage.ts timeAndDay), as the press's own "Approved by … at …"
// beside it does. The notice said "2026-11-30 13:53 UTC" while the typed answer to the same
// decision said "13:53 UTC on 2026-11-30".

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { approvalViewOf } from '../../src/domain/catalog/approvalView';
import { graphStateOutcome } from '../../src/domain/clickOutcomes';
import { DecidedElsewhereError } from '../../src/domain/errors';
import { CATALOG, Target } from '../../src/domain/operations';

const ME = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const OTHER = 'a1b2c3d4-6666-4aaa-8bbb-0000000000a6';
const AT = '2026-11-30T13:53:20Z';
const MOMENT = ' at 13:53 UTC on 2026-11-30';
const OTHER_FORM = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/;

function target(decision: 'approve' | 'deny'): Target {
  return {
    operation: 'decideAccessPackageApproval',
    ids: { requestId: '7999249e-249e-7999-9e24-99799e249984' },
    decision,
  };
}

/** The approval as Graph returns it, its one stage finished as Deny by `reviewedBy` at AT. */
function denied(reviewedBy: { id: string; displayName: string } | null): Readonly<Record<string, unknown>> {
  const stage = {
    id: 'stage-1',
    assignedToMe: true,
    status: 'Completed',
    reviewResult: 'Denied',
    reviewedBy,
    reviewedDateTime: AT,
  };
  const view = approvalViewOf({ id: target('deny').ids.requestId, stages: [stage] }, 'stages');
  return view as unknown as Readonly<Record<string, unknown>>;
}

describe('a pressed card says when an approval was decided as a typed answer does', () => {
  const cases = [
    { what: 'by the presser, otherwise', item: denied({ id: ME, displayName: 'Megan Bowen' }), decision: 'approve' },
    { what: 'by someone else', item: denied({ id: OTHER, displayName: 'Lynne Robbins' }), decision: 'approve' },
    {
      what: 'by someone else, as pressed',
      item: denied({ id: OTHER, displayName: 'Lynne Robbins' }),
      decision: 'deny',
    },
    { what: 'by no one Graph names', item: denied(null), decision: 'approve' },
  ] as const;
  for (const { what, item, decision } of cases) {
    it(`decided ${what}: "${MOMENT.trim()}"`, () => {
      const shown = graphStateOutcome(target(decision), String(item.state), item, ME);
      assert.ok(shown.kind === 'settled');
      assert.ok(shown.text.includes(MOMENT), shown.text);
      assert.doesNotMatch(shown.text, OTHER_FORM, shown.text);
    });
  }

  it('the same moment, in the same words, as the typed answer to the same decision', () => {
    const item = denied({ id: OTHER, displayName: 'Lynne Robbins' });
    const pressed = graphStateOutcome(target('approve'), String(item.state), item, ME);
    assert.ok(pressed.kind === 'settled');
    const typed = explain(
      new DecidedElsewhereError('x', 'Denied', 'approve', 'Lynne Robbins', AT, undefined, 'afterRefusal', false),
      CATALOG.decideAccessPackageApproval,
      undefined,
      'command',
    );
    assert.ok(typed.what.includes(`Denied by Lynne Robbins${MOMENT}`), typed.what);
    assert.ok(pressed.text.includes(`Denied by Lynne Robbins${MOMENT}`), pressed.text);
  });
});
