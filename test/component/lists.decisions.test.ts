// "my approvals": a row's Approve or Deny through the real handler, the exactly-once card-action
// service and the simulated tenant; the list card updated in place, a double-click deciding one
// stage, and a fresh list deciding my next stage of a multi-stage request.
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Rig, User } from './botRig';
import { ListContent, buttonsOf, headingOf, headings, rowsOf, listSession } from './listSession';
import { buttonsOf as cardButtonsOf } from '../fixtures/cardButtons';
import { TYPED_REASON, pressOf, pressedData } from '../fixtures/pressedData';
import type { Target } from '../../src/domain/operations';

/** The row of a PIM approval waiting for Megan Bowen in the seed. */
const PIM_ROW = 'PIM role · Global Administrator';

/** The one "Approve or deny" box of the row headed `heading` (a PIM row asks why once, for both:
 * listButtons.ts): its input's id, and the data of the button titled `title` under it. */
function rowBox(content: ListContent, heading: string, title: 'Approve' | 'Deny') {
  const row = rowsOf(content).find((r) => headingOf(r) === heading)!;
  const decide = buttonsOf(row).find((b) => b.title === 'Approve or deny') as {
    card: { body: Array<{ id: string }> };
  };
  const send = cardButtonsOf<{ title: string; data: Record<string, unknown> }>(decide.card).find(
    (b) => b.title === title,
  )!;
  return { inputId: decide.card.body[0]!.id, data: send.data };
}

describe('my approvals: deciding from a row of the list', () => {
  let rig: Rig;
  let megan: User;
  const { list, press } = listSession((r) => {
    rig = r;
    megan = rig.user(0);
  });

  it('Approve on a row acts once, as me, and the list card changes in place for everyone', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const row = rowsOf(content).find((r) => headingOf(r) === 'PIM for Groups · Finance approvers')!;
    const approve = buttonsOf(row)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(megan, card.id!, approve);
    const after = rowsOf(answer.value).find((r) => headingOf(r) === 'PIM for Groups · Finance approvers')!;
    assert.match(JSON.stringify(after), /Approved by Megan Bowen/);
    assert.equal(buttonsOf(after).length, 0, 'the decided row has no buttons');
    assert.equal(rowsOf(answer.value).filter((r) => buttonsOf(r).length > 0).length, 9, 'the other rows keep theirs');
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 1);
    assert.equal(rig.updates.at(-1)?.id, card.id, 'the card was replaced for everyone');
    // The same button again: nothing more reaches Graph.
    await press(megan, card.id!, approve);
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 1);
  });

  it('a double-click on a row of a request whose next stage is mine too decides one stage only', async () => {
    // The seed's Finance reports access request: Megan or Lynne approve its first stage, Lynne alone
    // its second, which starts when the first is approved; its approval read names Lynne on both
    // (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).
    const lynne = rig.user(5);
    const { card, content } = await list(lynne, 'my approvals');
    const row = rowsOf(content).find((r) => headingOf(r) === 'Access package · Finance reports')!;
    const approve = buttonsOf(row)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    await press(lynne, card.id!, approve);
    const second = await press(lynne, card.id!, approve);
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 1, 'one stage decided');
    assert.equal(rig.tenant.getAccessRequest('7999249e-249e-7999-9e24-99799e249984')?.state, 'pendingApproval');
    const after = rowsOf(second.value).find((r) => headingOf(r) === 'Access package · Finance reports')!;
    assert.match(JSON.stringify(after), /Approved by Lynne Robbins/);
  });

  it('a row of a fresh list decides my next stage after I approved the one before (the list shows the request waiting for me again)', async () => {
    // Lynne approves the Finance reports request's first stage from one list, then asks again: the
    // approver filter lists the request once more, now for its second stage, which is hers alone
    // (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0,
    // https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0). A row
    // of that second list was posted after her first decision: its Approve decides the second stage.
    const lynne = rig.user(5);
    const heading = 'Access package · Finance reports';
    const first = await list(lynne, 'my approvals');
    const row = rowsOf(first.content).find((r) => headingOf(r) === heading)!;
    await press(
      lynne,
      first.card.id!,
      buttonsOf(row)
        .flatMap(pressOf)
        .find((b) => b.title === 'Approve')!.data as Record<string, unknown>,
    );
    // She asks again a minute later (the first stage's reviewedDateTime is a minute before the read).
    const decided = rig.tenant.getApproval('7999249e-249e-7999-9e24-99799e249984')!.stages[0]!;
    decided.reviewedDateTime = new Date(Date.parse(decided.reviewedDateTime!) - 60_000).toISOString();
    const again = await list(lynne, 'my approvals');
    const fresh = rowsOf(again.content).find((r) => headingOf(r) === heading);
    assert.ok(fresh, `the request waits for Lynne again: ${headings(again.content).join(', ')}`);
    const approve = buttonsOf(fresh)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(lynne, again.card.id!, approve);
    assert.equal(
      rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length,
      2,
      JSON.stringify(answer.value),
    );
    assert.equal(rig.tenant.getAccessRequest('7999249e-249e-7999-9e24-99799e249984')?.state, 'delivered');
  });

  it('Deny on a row sends the justification typed in the card', async () => {
    const { card, content } = await list(megan, 'my approvals');
    // A PIM row asks why once: Approve and Deny both send its one box.
    const { inputId, data: send } = rowBox(content, PIM_ROW, 'Deny');
    const answer = await press(megan, card.id!, { ...send, [inputId]: 'Use the standing role' });
    assert.match(JSON.stringify(answer.value), /Denied by Megan Bowen/);
    const patch = rig.tenant.graphRequests().find((r) => r.method === 'PATCH')!;
    assert.deepEqual(JSON.parse(patch.body ?? '{}'), { reviewResult: 'Deny', justification: 'Use the standing role' });
  });

  it("Approve on a PIM row sends the reason typed in the row's one box as the justification", async () => {
    // PIM's default policy requires the approver's justification
    // (https://learn.microsoft.com/en-us/graph/api/unifiedrolemanagementpolicy-list-rules?view=graph-rest-1.0).
    const { card, content } = await list(megan, 'my approvals');
    const { inputId, data: send } = rowBox(content, PIM_ROW, 'Approve');
    const answer = await press(megan, card.id!, { ...send, [inputId]: '  Change ticket 4711 ' });
    assert.match(JSON.stringify(answer.value), /Approved by Megan Bowen/);
    const patch = rig.tenant.graphRequests().find((r) => r.method === 'PATCH')!;
    assert.deepEqual(JSON.parse(patch.body ?? '{}'), { reviewResult: 'Approve', justification: 'Change ticket 4711' });
  });

  // A PIM row's Approve sends the reason from the row's one box (listButtons.ts), not from a
  // notification card's Approve box: a press through the fixture types it in the box the row shows,
  // and one with that box empty is refused before any Graph call, as PIM's default policy asks the
  // approver's reason (https://learn.microsoft.com/en-us/graph/api/unifiedrolemanagementpolicy-list-rules?view=graph-rest-1.0).
  it('Approve on a PIM row with its one box empty is refused before Graph, the request still waiting', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const { inputId, data } = rowBox(content, PIM_ROW, 'Approve');
    const shown = data as unknown as Target;
    const approve: Target = { operation: shown.operation, ids: shown.ids, decision: 'approve' };
    const typed = pressedData(approve, { list: 'approvals' });
    assert.equal(typed[inputId], TYPED_REASON, "the fixture types the reason in the row's box");
    const empty = pressedData({ ...approve, justification: '' }, { list: 'approvals' });
    assert.deepEqual(
      Object.keys(empty).filter((k) => k.startsWith('justification')),
      [inputId],
    );
    const pressed = await press(megan, card.id!, empty);
    assert.match(
      JSON.stringify(pressed),
      /justification is required to approve/,
      JSON.stringify(pressed).slice(0, 800),
    );
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 0, 'nothing was sent to Graph');
    assert.equal(rig.tenant.getApproval(approve.ids.requestId!)?.stages[0]?.status, 'InProgress');
  });

  // The Adaptive Cards renderer Teams clients use leaves an empty text input out of the action's
  // data (node_modules/adaptivecards/lib/card-elements.js: an input is sent only when isSet(), a
  // text input's being whether it holds text), so a row's box left empty on a client that does not
  // hold the press back for the required box
  // (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/input-validation) sends no
  // justification field at all. The row's Approve names its box, so the approver is sent to it.
  it('Approve on a PIM row with its box empty as the renderer sends it (no field at all) asks for the box', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const { inputId, data } = rowBox(content, PIM_ROW, 'Approve');
    const { [inputId]: _typed, ...sent } = data;
    assert.equal(
      Object.keys(sent).some((k) => k.startsWith('justification')),
      false,
      'the press carries no justification field',
    );
    const pressed = JSON.stringify(await press(megan, card.id!, sent));
    assert.match(pressed, /justification is required to approve/, pressed.slice(0, 800));
    assert.match(pressed, /Type why in the card’s “Why\?” box/, pressed.slice(0, 800));
    assert.doesNotMatch(pressed, /sends none/, pressed.slice(0, 800));
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 0, 'nothing was sent to Graph');
    assert.equal(
      rig.tenant.getApproval((data.ids as Record<string, string>).requestId!)?.stages[0]?.status,
      'InProgress',
    );
  });

  // What a person types in the card's box goes to Graph as the stage's justification, the text the
  // requester and the admin center show (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0):
  // control characters pasted with it (C0 and C1, but tab and line breaks) show as nothing or as
  // boxes there, and are left out before it is sent.
  it('Deny on a row sends the justification without control characters, tabs and line breaks kept', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const { inputId, data: send } = rowBox(content, PIM_ROW, 'Deny');
    const typed = '\u0007Use the\u0000 standing\u009b role\nper\tpolicy\u001b';
    const answer = await press(megan, card.id!, { ...send, [inputId]: typed });
    assert.match(JSON.stringify(answer.value), /Denied by Megan Bowen/);
    const patch = rig.tenant.graphRequests().find((r) => r.method === 'PATCH')!;
    assert.deepEqual(JSON.parse(patch.body ?? '{}'), {
      reviewResult: 'Deny',
      justification: 'Use the standing role\nper\tpolicy',
    });
  });

  // A reason made only of such characters is no reason: it would reach Graph as none, a deny
  // without the justification it requires. It is refused as a missing one, on the card's box and
  // after a typed command alike, and nothing is sent.
  it('a Deny whose reason is only control characters and spaces is refused as having none, card or command', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const { inputId, data: send } = rowBox(content, PIM_ROW, 'Deny');
    const pressed = await press(megan, card.id!, { ...send, [inputId]: '\u0007 \u0000\u009b\u001b' });
    assert.match(JSON.stringify(pressed.value), /A justification is required/, JSON.stringify(pressed.value));
    const id = rig.seed.examples.roleDenyApprovalId;
    const { sent } = await rig.message(megan, `deny role-request ${id} \u0007\u0000`);
    assert.match(JSON.stringify(sent), /A justification is required/, JSON.stringify(sent).slice(0, 800));
    assert.equal(rig.tenant.graphRequests().filter((r) => r.method === 'PATCH').length, 0, 'nothing was sent to Graph');
  });
});
