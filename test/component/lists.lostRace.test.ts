// A "my approvals" row's decision that loses the race to another approver (Graph refuses the PATCH
// with 409, https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0)
// was not applied because the approval was decided already: the row's notice is yellow (warning),
// as the typed answer to the same race and a notification card's press are, not the red of a
// failure; and the row loses its buttons, as a row whose read found it decided does, and keeps the
// race's words, the other rows keeping theirs.
// TextRun colors: https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/card-schema

import { strict as assert } from 'node:assert';
import { Rig, User } from './botRig';
import { buttonsOf, listSession, requestIdOf, rowsOf } from './listSession';
import { lynneDeniesBeforePatch } from '../fixtures/lostRace';

describe('a list row decision that lost the race to another approver', () => {
  let rig: Rig;
  let megan: User;
  const { accessPackageRow, press } = listSession((r) => {
    rig = r;
    megan = rig.user(0);
  });

  it('is told on a yellow notice, who decided first', async () => {
    const { card, id, approve } = await accessPackageRow(megan);
    assert.ok(rig.tenant.getApproval(id), id);
    // Lynne decides between Megan's read of the stage and her PATCH.
    lynneDeniesBeforePatch(rig, id);
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

  it('loses its buttons, keeping who decided first; the other rows keep theirs', async () => {
    const { card, content, id, approve } = await accessPackageRow(megan);
    const others = rowsOf(content).filter((r) => requestIdOf(r) !== id && buttonsOf(r).length > 0).length;
    assert.ok(others > 0, 'another row has buttons');
    // Lynne decides between Megan's read of the stage and her PATCH.
    lynneDeniesBeforePatch(rig, id);
    const answer = await press(megan, card.id!, approve);
    assert.equal(
      rig.tenant
        .graphRequests()
        .filter((q) => q.method === 'PATCH')
        .at(-1)?.status,
      409,
    );
    const after = rowsOf(answer.value);
    const raced = after.find((r) => requestIdOf(r) === id);
    assert.ok(raced, JSON.stringify(answer.value).slice(0, 2000));
    assert.match(JSON.stringify(raced), /already Denied by Lynne Robbins/);
    assert.deepEqual(buttonsOf(raced), [], JSON.stringify(raced));
    assert.equal(after.filter((r) => requestIdOf(r) !== id && buttonsOf(r).length > 0).length, others);
  });
});
