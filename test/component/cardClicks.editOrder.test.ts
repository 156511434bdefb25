// The edits for everyone of one card, each made in a background turn after its click's answer
// (cardClicks.editAfterAnswer.test.ts), may have their turns start in any order: the card everyone
// ends up seeing is the one asked for last. Here an approver of both stages of the seed's "Finance
// reports" access request approves the first stage (the card keeps Approve for the next stage),
// then the second (the card is settled); the second edit's turn starts first. The next stage starts
// when the one before is approved
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0), and an
// edit replaces the card for everyone in the conversation
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).

import { strict as assert } from 'node:assert';
import { ConversationReference, TurnContext } from 'botbuilder';
import { pressedData } from '../fixtures/pressedData';
import { cardsOf } from './botRig';
import { CARD, FINANCE_REPORTS as FINANCE, approveOf, twoStageCard } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE);

describe('card clicks: the edit asked for last is the one everyone sees', () => {
  /** Background turns held until the test starts them. */
  const held: Array<() => void> = [];
  const card = twoStageCard(APPROVE, {
    extend: (rig) => ({
      deps: {
        proactive: (reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>) =>
          new Promise<void>((res, rej) => held.push(() => void rig.proactive(reference, logic).then(res, rej))),
      },
    }),
  });
  beforeEach(() => (held.length = 0));

  it('the second stage’s settled card stays when the first stage’s edit starts after it', async () => {
    const r = card.rig();
    const lynne = r.user(5);
    const first = await card.press(lynne, pressedData(APPROVE));
    const again = card.approveOn(first?.value);
    assert.ok(again, `the card keeps Approve for the next stage: ${JSON.stringify(first)}`);
    const second = await card.press(lynne, again);
    assert.doesNotMatch(JSON.stringify(second?.value), /Action\.Execute/, 'the clicker sees the request decided');
    assert.equal(held.length, 2, 'one edit for everyone per click, both waiting for their turns');

    held[1]!();
    await new Promise((res) => setTimeout(res, 50));
    held[0]!();
    await r.bot.idle();

    const edits = r.updates.filter((u) => u.id === CARD);
    assert.ok(edits.length >= 1, 'everyone sees the card change');
    const last = cardsOf([edits.at(-1)!]);
    assert.doesNotMatch(last, /Action\.Execute/, `everyone sees the request decided, no buttons: ${last}`);
  });
});
