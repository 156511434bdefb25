// Contract §6: every command's one audit line says `graphStatus`, "the HTTP status of Graph's last
// answer, null only when none came", and `graphRequestId` of that same answer. A click on an
// approval card reads the item first (as its clicker); when that read answered and the click then
// writes nothing (the stage was already decided through this card, or by the clicker elsewhere
// before the card showed it), the line carries the read's answer, not null.
// Graph: the approver reads every stage with `assignedToMe`, and a PATCH decides one stage
// (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0);
// `request-id` is the answer's id a support case asks for
// (https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support).

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import { FINANCE_REPORTS as FINANCE, approveOf, twoStageCard } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE);

describe('approval cards: a click that writes nothing after its read is audited with Graph’s last answer', () => {
  const card = twoStageCard(APPROVE);
  const audits = () => card.rig().logs.filter((l) => l.event === 'governance.action');

  it('the second click of a double-click (already done through this card) carries its read’s answer', async () => {
    const lynne = card.rig().user(5);
    await card.press(lynne, pressedData(APPROVE));
    await card.press(lynne, pressedData(APPROVE));
    assert.equal(card.stagePatches().length, 1, 'the second click wrote nothing');
    const second = audits()[1];
    assert.ok(second && 'alreadyDoneBy' in second, JSON.stringify(audits()));
    assert.equal(second.graphStatus, 200, JSON.stringify(second));
    assert.equal(typeof second.graphRequestId, 'string', JSON.stringify(second));
    assert.equal(typeof second.graphAnswerClientRequestId, 'string', JSON.stringify(second));
    assert.notEqual(second.correlationId, audits()[0]?.correlationId, 'a fresh correlationId per command');
  });

  it('a press on a card that did not show the clicker’s earlier stage decided carries its read’s answer', async () => {
    const r = card.rig();
    const lynne = r.user(5);
    await r.message(lynne, `approve access-request ${FINANCE}`);
    await card.press(lynne, pressedData(APPROVE));
    assert.equal(card.stagePatches().length, 1, 'the press wrote nothing');
    const pressed = audits().find((l) => 'decidedStageId' in l || 'alreadyDoneBy' in l);
    assert.ok(pressed, JSON.stringify(audits()));
    assert.equal(pressed.graphStatus, 200, JSON.stringify(pressed));
    assert.equal(typeof pressed.graphRequestId, 'string', JSON.stringify(pressed));
  });
});
