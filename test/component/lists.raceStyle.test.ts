// A list row's decision that loses the race to another approver (Graph refuses the PATCH with 409,
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0) was not
// applied because the approval was decided already: the row's notice is yellow (warning), as the
// typed answer to the same race and a notification card's press are, not the red of a failure.
// TextRun colors: https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/card-schema

import { strict as assert } from 'node:assert';
import { Rig, User } from './botRig';
import { buttonsOf, factsOf, listSession, rowsOf } from './listSession';
import { pressOf } from '../fixtures/pressedData';

describe('a list row decision that lost the race to another approver', () => {
  let rig: Rig;
  let megan: User;
  const { list, press } = listSession((r) => {
    rig = r;
    megan = rig.user(0);
  });

  it('is told on a yellow notice, who decided first', async () => {
    const { card, content } = await list(megan, 'my approvals');
    // The first access package row with buttons (its approval, the simulated tenant's).
    const idOf = (r: (typeof rows)[number]) => factsOf(r).find((f) => f.title === 'requestId')?.value ?? '';
    const rows = rowsOf(content);
    const approveOf = (r: (typeof rows)[number]) =>
      buttonsOf(r)
        .flatMap(pressOf)
        .find((b) => b.title === 'Approve')?.data as Record<string, unknown> | undefined;
    const row = rows.find((r) => approveOf(r)?.operation === 'decideAccessPackageApproval');
    assert.ok(row, 'the list shows an access package request with buttons');
    const id = idOf(row);
    assert.ok(rig.tenant.getApproval(id), id);
    const approve = approveOf(row)!;
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
    const answer = await press(megan, card.id!, approve);
    const patches = rig.tenant.graphRequests().filter((q) => q.method === 'PATCH');
    assert.equal(patches.at(-1)?.status, 409);
    const said = JSON.stringify(answer.value);
    const run =
      /\{"type":"TextRun","text":"(?:[^"\\]|\\.)*already Denied by Lynne Robbins(?:[^"\\]|\\.)*","color":"(\w+)"\}/.exec(
        said,
      );
    assert.ok(run, said.slice(0, 2000));
    assert.equal(run[1], 'warning');
  });
});
