// A stage nobody reviewed names the all-zero reviewer: reviewedBy "00000000-0000-0000-0000-000000000000
// if the assigned reviewer hasn't reviewed"
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0, an
// identity; https://learn.microsoft.com/en-us/graph/api/resources/approvalstep?view=graph-rest-beta, a
// list of userIdentity). That id is nobody: a pressed button's answer never names it, as a person
// or as an id, never takes it for the presser, and never says someone else decided a stage that
// expired (approvalStage status Expired: nobody decided it).

import { strict as assert } from 'node:assert';
import { approvalViewOf } from '../../src/domain/catalog/approvalView';
import { graphStateOutcome } from '../../src/domain/clickOutcomes';
import type { Target } from '../../src/domain/operations';

const ZERO = '00000000-0000-0000-0000-000000000000';
const target: Target = {
  operation: 'decideAccessPackageApproval',
  ids: { requestId: '7999249e-249e-7999-9e24-99799e249984' },
  decision: 'approve',
};

/** The reader's view of an approval whose only stage ended unreviewed (`status`), nobody its reviewer. */
function unreviewed(status: string, field: 'stages' | 'steps', displayName: unknown) {
  const by = { id: ZERO, displayName, ...(field === 'steps' ? { userPrincipalName: null } : {}) };
  const stage = {
    id: 'stage-1',
    assignedToMe: true,
    status,
    reviewResult: 'NotReviewed',
    reviewedBy: field === 'steps' ? [by] : by,
    reviewedDateTime: null,
  };
  return approvalViewOf({ id: target.ids.requestId, [field]: [stage] }, field);
}

describe('approvals: a stage nobody reviewed (the all-zero reviewer)', () => {
  for (const field of ['stages', 'steps'] as const)
    for (const displayName of [null, '', undefined])
      for (const status of ['Expired', 'Completed'])
        it(`${field}, ${status}, displayName ${String(displayName)}: no reviewer is named`, () => {
          const view = unreviewed(status, field, displayName);
          const item = view as unknown as Readonly<Record<string, unknown>>;
          // Even when the presser's own id were the all-zero one, nobody decided it.
          for (const presser of [undefined, ZERO]) {
            const out = graphStateOutcome(target, view.state, item, presser);
            const said = JSON.stringify(out);
            assert.doesNotMatch(said, /0{8}-0{4}/, said);
            assert.doesNotMatch(said, /\bby\b|already (approved|denied)|someone else/i, said);
          }
        });
});
