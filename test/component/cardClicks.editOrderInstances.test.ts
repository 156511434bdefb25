// Two instances on one state store (one SQLite file) edit the same card for everyone: the card
// everyone ends up seeing shows the newest decision, whichever instance's edit reaches Teams last.
// An edit replaces the message for everyone in the conversation, and the last update Teams takes
// is what they see
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
// Here Megan Bowen approves the first stage of the seed's two-stage PIM role request on instance A
// (the card keeps Approve for the next stage), and Lynne Robbins the second on instance B (the card
// is settled); A's edit is held on its way to Teams until B's has landed. The next stage starts
// when the one before is approved
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { cardsOf } from './botRig';
import { rigsOnOneFile } from './twoInstances';
import { CARD, CHANNEL, TWO_STAGES, approveOf, holdFirstUpdate, stagesOnTwoInstances } from './twoStageCard';

const APPROVE: Target = approveOf('decideRoleApproval', TWO_STAGES);

describe('card clicks on two instances: the card everyone sees shows the newest decision', () => {
  /** Instances on one file; `landed()` is every card update in the order it reached Teams, from both. */
  const { instance, landed } = rigsOnOneFile();

  /** Stage one on A, whose first update is held (then answered as `outcome` says) until stage two's
   * edit from B has landed; the card everyone sees at the end. */
  async function racedStages(outcome: 'answered' | 'cut'): Promise<string> {
    const tenant = new SimulatedTenant(loadDemoSeed());
    // Only A's first update is held (the one of the first stage's decision).
    const hold = holdFirstUpdate(outcome);
    const a = instance(tenant, hold.held);
    const b = instance(tenant);
    await a.bindings.bind(CHANNEL, CARD, [{ operation: APPROVE.operation, ids: APPROVE.ids }]);
    await stagesOnTwoInstances(a, b, hold.reached);
    await b.bot.idle();
    assert.equal(tenant.getRoleRequest(TWO_STAGES)?.status, 'Provisioned');

    hold.open();
    await a.bot.idle();
    await b.bot.idle();

    const edits = landed().filter((u) => u.id === CARD);
    assert.ok(edits.length >= 2, `both instances edited the card: ${edits.length}`);
    return cardsOf([edits.at(-1)!]);
  }

  it('the first stage’s edit, held on instance A until the second stage’s edit from B landed, does not bring the buttons back', async () => {
    const last = await racedStages('answered');
    assert.doesNotMatch(last, /Action\.Execute/, `everyone sees the request decided, no buttons: ${last}`);
  });

  it('nor does it when its update reaches Teams late and yet fails (cut at its deadline)', async () => {
    const last = await racedStages('cut');
    assert.doesNotMatch(last, /Action\.Execute/, `everyone sees the request decided, no buttons: ${last}`);
  });
});
