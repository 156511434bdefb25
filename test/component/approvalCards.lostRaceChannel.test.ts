// A channel card's Approve pressed by Megan Bowen while Lynne Robbins decides the same first stage
// of the seed's "Finance reports" access request (Megan or Lynne approve its first stage, Lynne
// alone its second) between Megan's read and her PATCH: Graph refuses it with 409 ("already been
// approved by another approver in the same approval stage",
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0). Lynne's
// denial ends the request, so the card everyone in the channel sees loses its buttons, as after a
// press whose read found it denied. Lynne's approval leaves her second stage waiting: Megan alone
// is told, as a read finding that tells her, and the buttons stay for Lynne. A denial learnt after
// the card's approval moment passed is the same card for everyone, as a read finding it denied then
// is, not the ended card the presser alone gets in place of buttons kept for a retry.

import { strict as assert } from 'node:assert';
import { decide } from '../../src/sandbox/graph/approvalModel';
import { tenantFetch } from '../../src/sandbox/server';
import { pressedData } from '../fixtures/pressedData';
import { GRAPH, cardsOf } from './botRig';
import { CARD, FINANCE_REPORTS as FINANCE, approveOf, twoStageCard } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE);

describe('a channel card’s press that lost the race to Graph’s 409', () => {
  const card = twoStageCard(APPROVE);
  /** Lynne decides the first stage once Megan's PATCH is on its way. */
  const lynneDecidesFirst = (reviewResult: 'Approve' | 'Deny') => {
    const r = card.rig();
    r.hold = (req) => {
      if (req.method !== 'PATCH') return null;
      r.hold = null;
      const a = r.tenant.getApproval(FINANCE)!;
      const lynne = { id: r.user(5).aadObjectId, displayName: r.user(5).name };
      const why = reviewResult === 'Deny' ? { justification: 'Not needed.' } : {};
      assert.equal(decide(a, a.stages[0]!.id, lynne, { reviewResult, ...why }, Date.now()), null);
      return null;
    };
  };
  const edits = () => card.rig().updates.filter((u) => u.id === CARD);

  it('denied by Lynne: the card loses Approve and Deny for everyone in the channel', async () => {
    lynneDecidesFirst('Deny');
    const shown = await card.pressApprove(card.rig().user(0));
    assert.equal(card.stagePatches().at(-1)?.status, 409);
    assert.match(JSON.stringify(shown), /already Denied by Lynne Robbins/);
    assert.deepEqual(card.buttons(shown?.value), [], JSON.stringify(shown));
    await card.rig().bot.idle();
    assert.equal(edits().length, 1, 'the channel’s card is edited for everyone');
    assert.match(cardsOf(edits()), /already Denied by Lynne Robbins/);
    assert.doesNotMatch(cardsOf(edits()), /Action\.(Execute|Submit)/);
  });

  it('the approval’s moment passing while the PATCH waits: the same card for everyone, not the ended card', async () => {
    const r = card.rig();
    const graph = tenantFetch(r.tenant, GRAPH);
    r.hold = (req) => {
      if (req.method !== 'PATCH') return null;
      r.hold = null;
      const a = r.tenant.getApproval(FINANCE)!;
      const lynne = { id: r.user(5).aadObjectId, displayName: r.user(5).name };
      assert.equal(decide(a, a.stages[0]!.id, lynne, { reviewResult: 'Deny', justification: 'No.' }, Date.now()), null);
      return new Promise((res) => setTimeout(res, 500)).then(() => graph(req));
    };
    const shown = await card.press(r.user(0), { ...pressedData(APPROVE), endsAt: Date.now() + 200 });
    assert.equal(card.stagePatches().at(-1)?.status, 409);
    assert.doesNotMatch(JSON.stringify(shown), /approval time has ended/);
    assert.match(JSON.stringify(shown), /already Denied by Lynne Robbins/);
    assert.deepEqual(card.buttons(shown?.value), []);
    await r.bot.idle();
    assert.equal(edits().length, 1, 'the channel’s card is edited for everyone');
  });

  it('approved by Lynne, her second stage waiting: Megan alone is told, the buttons stay', async () => {
    lynneDecidesFirst('Approve');
    const shown = await card.pressApprove(card.rig().user(0));
    assert.equal(card.stagePatches().at(-1)?.status, 409);
    assert.match(JSON.stringify(shown), /Approved by Lynne Robbins/);
    assert.deepEqual(card.buttons(shown?.value), ['Approve', 'Deny'], JSON.stringify(shown));
    await card.rig().bot.idle();
    assert.equal(edits().length, 0, 'the card everyone sees keeps its buttons for the next stage');
  });
});
