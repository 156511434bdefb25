// Graph refused an approval sent without a reason while the PIM role request still waits. Two
// causes are possible and the bot cannot tell them apart: a policy that requires the approver's
// justification (isApproverJustificationRequired of an approval stage, which "in PIM, defines the
// settings of the approval stages in a unifiedRoleManagementPolicyApprovalRule object":
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-beta), or an
// extension or renewal request, which "is currently not supported by the Microsoft Graph API"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow)
// when the read of its action was refused. The reply names both ways on. A PIM for Groups
// approval gets the same hint (README, unconfirmed facts: no page says whether Graph decides a
// group extension or renewal), with the blade its approvers use, "Approve requests > Groups"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-approval-workflow).

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { AdminCenterOnlyError, InvalidStateError } from '../../src/domain/errors';
import { CATALOG, Target } from '../../src/domain/operations';

const REQUEST = '6f1b7c9e-2d4a-4e8b-9c3f-0a1b2c3d4e5f';
const refused = new InvalidStateError('Graph refused the decision.', 'InProgress');

function said(target: Target): string {
  const w = explain(refused, CATALOG[target.operation], target);
  return `${w.title}. ${w.what} ${w.next}`;
}

describe('the words for an approval Graph refused while the request still waits', () => {
  it('a PIM role approval without a reason: both the reason to add and the extension or renewal hint', () => {
    const text = said({ operation: 'decideRoleApproval', ids: { requestId: REQUEST }, decision: 'approve' });
    assert.match(text, /You gave no justification/, text);
    assert.match(text, new RegExp(`approve role-request ${REQUEST} <reason>`), text);
    assert.match(text, /role extension or renewal request, Microsoft Graph cannot decide it/, text);
    assert.match(text, /Nothing was changed/, text);
  });

  it('an access package approval without a reason: the reason to add, and no PIM hint', () => {
    const text = said({ operation: 'decideAccessPackageApproval', ids: { requestId: REQUEST }, decision: 'approve' });
    assert.match(text, new RegExp(`approve access-request ${REQUEST} <reason>`), text);
    assert.doesNotMatch(text, /extension or renewal/, text);
  });

  it('a PIM role approval with a reason: only the extension or renewal hint', () => {
    const text = said({
      operation: 'decideRoleApproval',
      ids: { requestId: REQUEST },
      decision: 'approve',
      justification: 'on call this week',
    });
    assert.doesNotMatch(text, /no justification/, text);
    assert.match(text, /role extension or renewal request, Microsoft Graph cannot decide it/, text);
  });

  it('a PIM for Groups approval refused while it waits: the group extension or renewal hint, naming the Groups blade', () => {
    for (const justification of [undefined, 'on call this week']) {
      const text = said({
        operation: 'decideGroupApproval',
        ids: { requestId: REQUEST },
        decision: 'approve',
        ...(justification ? { justification } : {}),
      });
      assert.match(text, /group extension or renewal request, Microsoft Graph cannot decide it/, text);
      assert.match(text, /Identity governance > Privileged Identity Management > Approve requests > Groups/, text);
      assert.doesNotMatch(text, /role/, text);
    }
  });

  it('a PIM for Groups extension the bot told: the group words and the Groups blade', () => {
    const w = explain(new AdminCenterOnlyError('selfRenew', 'PendingApproval'), CATALOG.decideGroupApproval, {
      operation: 'decideGroupApproval',
      ids: { requestId: REQUEST },
      decision: 'deny',
    });
    const text = `${w.title}. ${w.what} ${w.next}`;
    assert.match(text, /This is a renewal request for a group membership or ownership/, text);
    assert.match(text, /Approve requests > Groups\./, text);
  });
});
