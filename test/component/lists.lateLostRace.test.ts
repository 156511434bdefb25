// A "my approvals" row's Approve answered before Graph ("Microsoft Graph has not answered yet"),
// whose PATCH Graph then refuses because another approver decided the stage meanwhile (409,
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0): the row
// settles as a row that lost the race in time does (lists.lostRaceButtons), without buttons and in
// the race's words, by an edit of the card, since the invoke was answered already and only an edit
// changes what everyone sees
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
// A late refusal of any other kind leaves the row's buttons, as the presser was told to press again.

import { strict as assert } from 'node:assert';
import { tenantFetch } from '../../src/sandbox/server';
import { pressOf } from '../fixtures/pressedData';
import { GRAPH, Rig } from './botRig';
import { FakeClock, settle } from './fakeClock';
import { rigOnFakeClock } from './heldResume';
import { ListContent, Row, buttonsOf, contentOf, factsOf, rowsOf } from './listSession';

const idOf = (r: Row) => factsOf(r).find((f) => f.title === 'requestId')?.value ?? '';
const approveOf = (r: Row) =>
  buttonsOf(r)
    .flatMap(pressOf)
    .find((b) => b.title === 'Approve')?.data as Record<string, unknown> | undefined;

describe('my approvals: a row’s write answered after its press, that lost the race', () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));

  /** Megan Bowen's list, one access package row's Approve pressed with its PATCH held (Lynne Robbins
   * denying the stage as it arrives when `lynneDenies`) and answered before Graph; `answer()` lets
   * the simulated tenant answer it as it stands, or `res` answers instead. The row as everyone's
   * card ends on, and how many other rows kept their buttons before and after. */
  async function pressedLate(lynneDenies: boolean, res?: Response) {
    rig = start({ silent: true });
    const megan = rig.user(0);
    const { sent } = await rig.message(megan, 'my approvals');
    const card = sent.find((a) => a.attachments?.length)!;
    const row = rowsOf(contentOf(card)).find((r) => approveOf(r)?.operation === 'decideAccessPackageApproval');
    assert.ok(row, 'the list shows an access package request with buttons');
    const id = idOf(row);
    const othersWithButtons = (c: ListContent) =>
      rowsOf(c).filter((r) => idOf(r) !== id && buttonsOf(r).length > 0).length;
    const graph = tenantFetch(rig.tenant, GRAPH);
    let answer!: () => void;
    rig.hold = (req) => {
      if (req.method !== 'PATCH') return null;
      rig.hold = null;
      if (lynneDenies) {
        const stage = rig.tenant.getApproval(id)!.stages[0]!;
        stage.status = 'Completed';
        stage.reviewResult = 'Denied';
        stage.reviewedBy = { id: rig.user(5).aadObjectId, displayName: 'Lynne Robbins' };
        stage.reviewedDateTime = '2026-01-05T09:00:03.000Z';
      }
      return new Promise<Response>((resolve) => (answer = () => resolve(res ?? graph(req))));
    };
    const data = approveOf(row)!;
    const value = { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' };
    const pressed = await clock.drive(rig.invoke(megan, 'adaptiveCard/action', value, { replyToId: card.id! }));
    const said = JSON.stringify(pressed.value.invoke?.body);
    assert.match(said, /has not answered yet/, said);

    answer();
    await settle();
    await rig.bot.idle();
    const edits = rig.updates.filter((u) => u.id === card.id);
    const last = contentOf(edits.at(-1));
    return {
      edits: edits.length,
      row: rowsOf(last).find((r) => idOf(r) === id),
      others: { before: othersWithButtons(contentOf(card)), after: othersWithButtons(last) },
      lastPatch: rig.tenant
        .graphRequests()
        .filter((q) => q.method === 'PATCH')
        .at(-1)?.status,
    };
  }

  it('a 409 after the answer: the row loses its buttons for everyone, keeping who decided first', async () => {
    const { row, others, lastPatch } = await pressedLate(true);
    assert.equal(lastPatch, 409);
    assert.ok(row, 'the card is edited for everyone, the row still on it');
    assert.match(JSON.stringify(row), /already Denied by Lynne Robbins/);
    assert.deepEqual(buttonsOf(row), [], JSON.stringify(row));
    assert.ok(others.before > 0, 'another row has buttons');
    assert.equal(others.after, others.before, 'the other rows keep theirs');
  });

  it('a late 403 edits no card: the row keeps its buttons for the press again it was told of', async () => {
    const refused = new Response(
      JSON.stringify({ error: { code: 'Authorization_RequestDenied', message: 'refused by the test' } }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    );
    const { edits } = await pressedLate(false, refused);
    assert.equal(edits, 0);
  });
});
