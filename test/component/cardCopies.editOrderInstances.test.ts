// Two instances on one state store (one SQLite file) edit the copy of an item's card posted in
// another channel: the copy everyone in that channel ends up seeing shows the newest decision,
// whichever instance's edit of it reaches Teams last. An edit replaces the message for everyone in
// the conversation, and the last update Teams takes is what they see
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
// Here Megan Bowen approves the first stage of the seed's two-stage PIM role request on its card in
// one channel, on instance A (the copy in the other channel keeps Approve for the next stage), and
// Lynne Robbins the second on instance B (every copy is settled); A's edit of the copy is held on
// its way to Teams until B's has landed. The next stage starts when the one before is approved
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { ItemCopies } from '../../src/alerts/itemCopies';
import { CardCopyUpdates } from '../../src/bot/teamsEdge';
import { Target } from '../../src/domain/operations';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { CardEditLog } from '../../src/state/cardEditLog';
import { Rig, cardsOf } from './botRig';
import { Held, instancesOnOneFile } from './twoInstances';
import {
  CARD,
  CHANNEL,
  TWO_STAGES,
  approveOf,
  heldUpdates,
  holdFirstUpdate,
  stagesOnTwoInstances,
} from './twoStageCard';

const APPROVE: Target = approveOf('decideRoleApproval', TWO_STAGES);
/** The other channel the item's card was posted in, and that copy's message id. */
const OTHER = '19:ops-b@thread.tacv2';
const COPY = 'copy-in-ops-b';

interface Instance {
  readonly rig: Rig;
  readonly copies: CardCopyUpdates;
}

describe('copies of a card in other channels, edited on two instances: everyone sees the newest decision', () => {
  /** Instances on one file, each closed once its copy updates are done; `landed()` is every update
   * of a copy in the order it reached Teams, from both. */
  const { open, landed } = instancesOnOneFile<Instance>(async (i) => {
    await i.copies.idle();
    await i.rig.close();
  });

  /** An instance on the shared file whose updates of copies reach Teams once `held()` lets them; an
   * update `held()` answers 'cut' reaches Teams and yet fails, as one cut at its deadline. */
  function instance(tenant: SimulatedTenant, held: Held = async () => undefined): Instance {
    return open((dir, updates) => {
      let copies!: CardCopyUpdates;
      const rig: Rig = new Rig(dir, {
        silent: true,
        tenant,
        extend: (r) => {
          copies = new CardCopyUpdates({
            copies: new ItemCopies(r.state.records),
            channelReference: async (channelId) => ({
              serviceUrl: 'https://smba.test/',
              channelId: 'msteams',
              conversation: { id: channelId, conversationType: 'channel', isGroup: true, tenantId: r.seed.tenantId },
            }),
            proactive: heldUpdates(r, held, updates),
            editLog: new CardEditLog(r.state.records),
            logger: r.logger,
            servedTenant: r.seed.tenantId,
          });
          return { deps: { copies } };
        },
      });
      return { rig, copies };
    });
  }

  /** Stage one on A, whose edit of the copy is held (then answered as `outcome` says) until stage
   * two's edit of it from B has landed; the copy everyone in the other channel sees at the end. */
  async function racedStages(outcome: 'answered' | 'cut'): Promise<string> {
    const tenant = new SimulatedTenant(loadDemoSeed());
    // Only A's first update of the copy is held (the one of the first stage's decision).
    const hold = holdFirstUpdate(outcome);
    const a = instance(tenant, hold.held);
    const b = instance(tenant);
    const item = { operation: APPROVE.operation, ids: APPROVE.ids };
    await a.rig.bindings.bind(CHANNEL, CARD, [item]);
    await a.rig.bindings.bind(OTHER, COPY, [item]);
    const itemCopies = new ItemCopies(a.rig.state.records);
    await itemCopies.add(item, { conversationId: CHANNEL, activityId: CARD, channelId: CHANNEL });
    await itemCopies.add(item, { conversationId: OTHER, activityId: COPY, channelId: OTHER });
    await stagesOnTwoInstances(a.rig, b.rig, hold.reached);
    await b.copies.idle();
    await b.rig.bot.idle();
    assert.equal(tenant.getRoleRequest(TWO_STAGES)?.status, 'Provisioned');
    assert.ok(
      landed().some((u) => u.id === COPY && !/Action\.Execute/.test(cardsOf([u]))),
      'B’s settled copy landed while A’s was held',
    );

    hold.open();
    for (const i of [a, b]) {
      await i.copies.idle();
      await i.rig.bot.idle();
    }

    const edits = landed().filter((u) => u.id === COPY);
    assert.ok(edits.length >= 2, `both instances edited the copy: ${edits.length}`);
    assert.ok(
      edits.every((u) => u.conversation?.id === OTHER),
      'the copy is edited in its own channel',
    );
    return cardsOf([edits.at(-1)!]);
  }

  it('the first stage’s edit of the copy, held on A until the second stage’s from B landed, does not bring the buttons back', async () => {
    const last = await racedStages('answered');
    assert.doesNotMatch(last, /Action\.Execute/, `everyone in the other channel sees the request decided: ${last}`);
  });

  it('nor does it when its update reaches Teams late and yet fails (cut at its deadline)', async () => {
    const last = await racedStages('cut');
    assert.doesNotMatch(last, /Action\.Execute/, `everyone in the other channel sees the request decided: ${last}`);
  });
});
