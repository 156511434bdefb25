// A "my approvals" row's Approve that loses the race to another approver (Graph refuses the PATCH
// with 409, https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0):
// the approval is decided, so the row loses its buttons, as a row whose read found it decided does,
// and keeps the race's words; the other rows keep theirs.

import { strict as assert } from 'node:assert';
import { Rig, User } from './botRig';
import { Row, buttonsOf, factsOf, listSession, rowsOf } from './listSession';
import { pressOf } from '../fixtures/pressedData';

const idOf = (r: Row) => factsOf(r).find((f) => f.title === 'requestId')?.value ?? '';
const approveOf = (r: Row) =>
  buttonsOf(r)
    .flatMap(pressOf)
    .find((b) => b.title === 'Approve')?.data as Record<string, unknown> | undefined;

describe('a list row decision that lost the race to another approver', () => {
  let rig: Rig;
  let megan: User;
  const { list, press } = listSession((r) => {
    rig = r;
    megan = rig.user(0);
  });

  it('loses its buttons, keeping who decided first; the other rows keep theirs', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const row = rowsOf(content).find((r) => approveOf(r)?.operation === 'decideAccessPackageApproval');
    assert.ok(row, 'the list shows an access package request with buttons');
    const id = idOf(row);
    const others = rowsOf(content).filter((r) => idOf(r) !== id && buttonsOf(r).length > 0).length;
    assert.ok(others > 0, 'another row has buttons');
    // Lynne decides between Megan's read of the stage and her PATCH.
    rig.hold = (req) => {
      if (req.method !== 'PATCH') return null;
      rig.hold = null;
      const stage = rig.tenant.getApproval(id)!.stages[0]!;
      stage.status = 'Completed';
      stage.reviewResult = 'Denied';
      stage.reviewedBy = { id: rig.user(5).aadObjectId, displayName: 'Lynne Robbins' };
      stage.reviewedDateTime = '2026-03-02T09:07:00.000Z';
      return null;
    };
    const answer = await press(megan, card.id!, approveOf(row)!);
    assert.equal(
      rig.tenant
        .graphRequests()
        .filter((q) => q.method === 'PATCH')
        .at(-1)?.status,
      409,
    );
    const after = rowsOf(answer.value);
    const raced = after.find((r) => idOf(r) === id);
    assert.ok(raced, JSON.stringify(answer.value).slice(0, 2000));
    assert.match(JSON.stringify(raced), /already Denied by Lynne Robbins/);
    assert.deepEqual(buttonsOf(raced), [], JSON.stringify(raced));
    assert.equal(after.filter((r) => idOf(r) !== id && buttonsOf(r).length > 0).length, others);
  });
});
