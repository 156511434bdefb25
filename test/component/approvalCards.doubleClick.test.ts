// A click decides only the approval stage its card was showing. An approver of two consecutive
// stages of one request (the seed's "Finance reports" access request: Megan Bowen or Lynne Robbins
// approve its first stage, Lynne Robbins alone its second) who double-clicks Approve must not decide
// both: the second click lands after the first stage is decided, finds the second stage waiting on
// the same person, and must show the first click's outcome instead of deciding that stage too.
// Graph: the next stage starts when the one before is approved, and the approver reads every stage
// with `assignedToMe` (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0);
// a PATCH decides one stage (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import { decide } from '../../src/sandbox/graph/approvalModel';
import { CHANNEL, FINANCE_REPORTS as FINANCE, approveOf, twoStageCard } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE);

describe('approval cards: a double-click decides one stage only', () => {
  const card = twoStageCard(APPROVE);
  const press = async (user: Parameters<typeof card.press>[0], data: unknown, on?: string) =>
    (await card.press(user, data, on))?.value;
  const { approveOn, stagePatches: patches } = card;
  const stages = () =>
    card
      .rig()
      .tenant.getApproval(FINANCE)
      ?.stages.map((s) => s.status);

  it('the second click of a double-click shows the first stage’s decision and decides nothing more', async () => {
    const lynne = card.rig().user(5);
    const first = await press(lynne, pressedData(APPROVE));
    assert.deepEqual(stages(), ['Completed', 'InProgress'], 'the first click decided the first stage');
    // The second click of the double-click carries the card as it was before the first one.
    const second = await press(lynne, pressedData(APPROVE));
    assert.equal(patches().length, 1, 'one click, one stage: the second stage was not decided');
    assert.deepEqual(stages(), ['Completed', 'InProgress'], 'the second stage still waits');
    assert.equal(card.rig().tenant.getAccessRequest(FINANCE)?.state, 'pendingApproval');
    assert.match(
      JSON.stringify(second),
      /next stage/,
      `the clicker sees the first stage decided: ${JSON.stringify(second)}`,
    );
    assert.ok(approveOn(first), 'the card keeps Approve for the next stage');
  });

  it('Approve on the card that shows the first stage decided decides the second stage', async () => {
    const lynne = card.rig().user(5);
    const first = await press(lynne, pressedData(APPROVE));
    const again = approveOn(first);
    assert.ok(again, `the card keeps Approve: ${JSON.stringify(first)}`);
    await press(lynne, again);
    assert.equal(patches().length, 2, 'a press on the card as it now is decides the next stage');
    assert.deepEqual(stages(), ['Completed', 'Completed']);
    assert.equal(card.rig().tenant.getAccessRequest(FINANCE)?.state, 'delivered');
  });

  it('a click writes the stage it claimed: another approver deciding that stage meanwhile is reported, the next stage untouched', async () => {
    const r = card.rig();
    const [megan, lynne] = [r.user(0), r.user(5)];
    // Megan approves the first stage in Graph between the click's read (which claims the first
    // stage for Lynne) and its write: Graph then answers 409 for that stage
    // (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).
    let read = false;
    let decided = false;
    r.hold = (req) => {
      if (!req.url.includes(`/accessPackageAssignmentApprovals/${FINANCE}`)) return null;
      // After the click's first read, before whatever it sends next (another read or the PATCH).
      if (read && !decided) {
        decided = true;
        const approval = r.tenant.getApproval(FINANCE)!;
        const by = { id: megan.aadObjectId, displayName: megan.name };
        assert.equal(decide(approval, approval.stages[0]!.id, by, { reviewResult: 'Approve' }, Date.now()), null);
      }
      read = true;
      return null;
    };
    const shown = await press(lynne, pressedData(APPROVE));
    assert.ok(decided, 'Megan decided between the click’s read and its write');
    const mine = patches().filter((q) => q.path.includes(r.tenant.getApproval(FINANCE)!.stages[1]!.id));
    assert.equal(mine.length, 0, 'the second stage, which the card did not show, was not decided');
    assert.deepEqual(stages(), ['Completed', 'InProgress']);
    assert.match(JSON.stringify(shown), /Megan Bowen/, `the clicker is told who decided: ${JSON.stringify(shown)}`);
  });

  it('another approver of the first stage who decided it leaves the second stage to its approver’s fresh card', async () => {
    const r = card.rig();
    const [megan, lynne] = [r.user(0), r.user(5)];
    await press(megan, pressedData(APPROVE));
    // Lynne never decided the first stage: her press on the card as she first saw it is hers to make.
    await press(lynne, pressedData(APPROVE));
    assert.equal(patches().length, 2);
    assert.equal(r.tenant.getAccessRequest(FINANCE)?.state, 'delivered');
  });

  it('a card posted after the clicker decided the earlier stage (a notification of the stage now open) decides that stage at the first press', async () => {
    const lynne = card.rig().user(5);
    await press(lynne, pressedData(APPROVE));
    assert.deepEqual(stages(), ['Completed', 'InProgress']);
    // Lynne's decision of the first stage was made a minute before the next card was posted.
    const r = card.rig();
    const first = r.tenant.getApproval(FINANCE)!.stages[0]!;
    first.reviewedDateTime = new Date(Date.now() - 60_000).toISOString();
    const LATER = 'card-finance-reports-stage-2';
    // Its notification was accepted now, after that decision.
    await r.bindings.bind(CHANNEL, LATER, [{ operation: APPROVE.operation, ids: APPROVE.ids }], Date.now());
    await press(lynne, pressedData(APPROVE), LATER);
    assert.equal(patches().length, 2, 'the new card’s first press decided the stage it was posted for');
    assert.deepEqual(stages(), ['Completed', 'Completed']);
  });

  it('a card whose notification was accepted before the clicker decided the earlier stage, bound only later, decides nothing at its first press', async () => {
    // The card's binding was written long after its acceptance (a binding retried, a post paced):
    // the card shows the request as it was when accepted, before Lynne's decision of the first stage.
    const r = card.rig();
    const lynne = r.user(5);
    const accepted = Date.now() - 120_000;
    await press(lynne, pressedData(APPROVE));
    const first = r.tenant.getApproval(FINANCE)!.stages[0]!;
    first.reviewedDateTime = new Date(Date.now() - 60_000).toISOString();
    const LATE = 'card-finance-reports-bound-late';
    await r.bindings.bind(CHANNEL, LATE, [{ operation: APPROVE.operation, ids: APPROVE.ids }], accepted);
    const shown = await press(lynne, pressedData(APPROVE), LATE);
    assert.equal(patches().length, 1, 'the second stage, which the card never showed, was not decided');
    assert.deepEqual(stages(), ['Completed', 'InProgress']);
    assert.match(JSON.stringify(shown), /next stage/, JSON.stringify(shown));
    // Its buttons now name the first stage: a press on the card as it now is decides the second.
    await press(lynne, approveOn(shown), LATE);
    assert.deepEqual(stages(), ['Completed', 'Completed']);
  });
});
