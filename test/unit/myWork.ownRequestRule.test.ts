// "Approvers aren't able to approve their own role activation requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow),
// "Approvers aren't able to approve their own access package requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// Who "asked" is judged by one rule for `my approvals` and for `approve`/`deny`: a PIM role
// request whose `principalId` or `createdBy.user.id` is the approver, an access package request
// whose `requestor.objectId` is. A row the list shows is never one the decision then refuses as
// the approver's own, and a row the list leaves out is one the decision would refuse.

import { strict as assert } from 'node:assert';
import { rowOf } from '../../src/graph/myWorkRows';
import { decidableBy } from '../../src/domain/myWork';
import { refuseBarred } from '../../src/graph/decisionBars';
import { CATALOG } from '../../src/domain/operations';
import { NO_GRAPH, OwnRequestError } from '../../src/domain/errors';

const ME = '0b6a6b2a-9b3e-4a2e-8f3e-2f1c8a9d7e61';
const OTHER = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
const ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

const roleRequest = (principalId: string, createdById: string) => ({
  id: ID,
  approvalId: ID,
  status: 'PendingApproval',
  action: 'selfActivate',
  createdDateTime: '2026-07-01T09:00:00Z',
  principalId,
  createdBy: { application: null, device: null, user: { displayName: null, id: createdById } },
});

function listed(kind: 'role' | 'access', item: Record<string, unknown>): boolean {
  const row = rowOf(kind, item, 'approvals');
  assert.ok(row);
  return decidableBy('approvals', [row], ME).length === 1;
}

function refused(operation: 'decideRoleApproval' | 'decideAccessPackageApproval', item: Record<string, unknown>) {
  const spec = CATALOG[operation];
  const read = spec.undecidable ?? spec.requesterRead;
  assert.ok(read);
  try {
    refuseBarred(operation, read, item, ME, NO_GRAPH);
    return false;
  } catch (e) {
    assert.ok(e instanceof OwnRequestError, String(e));
    return true;
  }
}

describe('one rule for "your own request": the list and the decision', () => {
  for (const [principal, creator] of [
    [ME, ME],
    [OTHER, ME],
    [ME, OTHER],
    [OTHER, OTHER],
  ] as const)
    it(`PIM role request, principal ${principal === ME ? 'me' : 'other'}, created by ${creator === ME ? 'me' : 'other'}`, () => {
      const item = roleRequest(principal, creator);
      const refusedOwn = refused('decideRoleApproval', item);
      assert.equal(refusedOwn, principal === ME || creator === ME);
      assert.equal(listed('role', item), !refusedOwn, 'listed exactly when the decision may be sent');
    });

  for (const requestor of [ME, OTHER])
    it(`access package request, requestor ${requestor === ME ? 'me' : 'other'}`, () => {
      const item = { id: ID, state: 'pendingApproval', requestor: { objectId: requestor } };
      const refusedOwn = refused('decideAccessPackageApproval', item);
      assert.equal(refusedOwn, requestor === ME);
      assert.equal(listed('access', item), !refusedOwn);
    });
});

describe('a row kept before the rule (no askedBy): judged by its requesterId', () => {
  const kept = (requesterId: string | null) => {
    const row = rowOf('role', roleRequest(OTHER, OTHER), 'approvals');
    assert.ok(row);
    const { askedBy: _left, ...before } = row;
    return { ...before, requesterId };
  };
  it('its requesterId is me: left out', () => assert.equal(decidableBy('approvals', [kept(ME)], ME).length, 0));
  it('its requesterId is another, or none: listed', () => {
    assert.equal(decidableBy('approvals', [kept(OTHER)], ME).length, 1);
    assert.equal(decidableBy('approvals', [kept(null)], ME).length, 1);
  });
  it('a row with askedBy is judged by it, not by requesterId alone', () => {
    const row = rowOf('role', roleRequest(OTHER, ME), 'approvals');
    assert.ok(row);
    assert.equal(row.requesterId, OTHER);
    assert.equal(decidableBy('approvals', [row], ME).length, 0);
  });
});
