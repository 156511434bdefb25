// A press whose read found its item open, whose write Graph then refused because someone else
// finished it in between (another approver's 409: "already been approved by another approver in the
// same approval stage", https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0;
// a request cancelled elsewhere, whose cancel Graph refuses 400), is answered as a press whose read
// found it finished: the card loses its buttons, the presser's copy (the invoke's answer, or the
// Action.Submit fallback's message edited) and everyone's, since none of them can act on it any
// more. The race's words stay. "Your Bot should be coded in such a way that it can process both
// Action.Execute and Action.Submit"
// (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#teams).

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { pressedData } from '../fixtures/pressedData';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';
import { lynneDenies as lynneDeniesNow, lynneDeniesBeforePatch } from '../fixtures/lostRace';

const hasButtons = (card: string): boolean => card.includes('Action.Execute') || card.includes('Action.Submit');

describe('a press that lost the race to Graph leaves no buttons that cannot work', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig));

  const approveTarget = (): Target => ({
    operation: 'decideAccessPackageApproval',
    decision: 'approve',
    ids: { requestId: r.seed.examples.accessApprovalId },
  });
  /** Lynne denies the stage: now, or between the presser's read and their PATCH (`race`). */
  const lynneDenies = (race: boolean): void =>
    (race ? lynneDeniesBeforePatch : lynneDeniesNow)(r, r.seed.examples.accessApprovalId);
  const lastPatch = () =>
    r.tenant
      .graphRequests()
      .filter((q) => q.method === 'PATCH')
      .at(-1)?.status;
  const editsOf = (cardId: string) => r.updates.filter((u) => u.id === cardId);

  /** A press's answer and the edits everyone's copy got, once the work after it ended. */
  const pressed = async (target: Target, cardId: string) => {
    const answer = await r.click(r.user(0), target, cardId);
    await r.bot.idle();
    assert.equal(answer.body.statusCode, 200, JSON.stringify(answer.body));
    return {
      said: JSON.stringify(answer.body.value),
      everyone: cardsOf(editsOf(cardId)),
      edits: editsOf(cardId).length,
    };
  };

  it('a press whose read finds it decided: no buttons on the presser’s card nor on everyone’s', async () => {
    await r.postCard(r.user(0), 'card-read', approveTarget());
    lynneDenies(false);
    const { said, everyone, edits } = await pressed(approveTarget(), 'card-read');
    assert.equal(lastPatch(), undefined);
    assert.match(said, /Denied by Lynne Robbins/);
    assert.ok(!hasButtons(said), said);
    assert.equal(edits, 1);
    assert.ok(!hasButtons(everyone), everyone);
  });

  it('Action.Execute, lost to a 409: answered in the same shape, the race’s words kept', async () => {
    await r.postCard(r.user(0), 'card-race', approveTarget());
    lynneDenies(true);
    const { said, everyone, edits } = await pressed(approveTarget(), 'card-race');
    assert.equal(lastPatch(), 409);
    assert.match(
      said,
      /Someone else decided first\. Microsoft Graph refused: .*already Denied by Lynne Robbins at 09:07 UTC on 2026-03-02/,
    );
    assert.ok(!hasButtons(said), `the presser's card keeps no Approve or Deny: ${said}`);
    assert.equal(edits, 1, 'everyone’s copy is edited, as after the read');
    assert.match(everyone, /already Denied by Lynne Robbins/);
    assert.ok(!hasButtons(everyone), everyone);
  });

  it('Action.Submit: the card is replaced for everyone without buttons', async () => {
    const megan = r.user(0);
    const approve = approveTarget();
    await r.signIn(megan);
    await r.postCard(megan, 'card-submit', approve);
    lynneDenies(true);
    const pressed = await r.message(megan, '', {
      text: undefined,
      value: pressedData(approve),
      replyToId: 'card-submit',
    });
    assert.equal(lastPatch(), 409);
    await r.bot.idle();
    const shown = cardsOf([...pressed.sent, ...editsOf('card-submit')]);
    assert.match(shown, /already Denied by Lynne Robbins/);
    assert.ok(!hasButtons(shown), shown);
    assert.equal(editsOf('card-submit').length, 1, 'the pressed card itself is edited for everyone');
  });

  it('a Cancel whose request was cancelled elsewhere between the read and the write: no Cancel left', async () => {
    const id = r.seed.examples.roleRequestId;
    const cancel: Target = { operation: 'cancelRoleRequest', ids: { requestId: id } };
    await r.postCard(r.user(0), 'card-cancel', cancel);
    // The same cancel, sent elsewhere (a typed command), reaches Graph just before the press's.
    const graph = tenantFetch(r.tenant, GRAPH);
    r.hold = (req) => {
      if (req.method !== 'POST') return null;
      r.hold = null;
      return graph(req.clone()).then(() => graph(req));
    };
    const { said, everyone, edits } = await pressed(cancel, 'card-cancel');
    const posts = r.tenant.graphRequests().filter((q) => q.method === 'POST');
    assert.deepEqual(
      posts.map((q) => q.status),
      [204, 400],
    );
    assert.match(said, /The role assignment request is Canceled/);
    assert.ok(!hasButtons(said), said);
    assert.equal(edits, 1);
    assert.ok(!hasButtons(everyone), everyone);
  });
});
