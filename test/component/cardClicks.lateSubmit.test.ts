// A card pressed through its Action.Submit fallback (older Teams clients) whose write Graph has not
// answered within the press's time. Such a press is a message, not an invoke: its answer is a new
// message in the conversation, every member's to read, while the card pressed is what the write's
// late answer edits (its binding, its copies in other channels)
// (https://learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model#teams;
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
// So that message must carry no Approve or Deny: once the item is decided it would still offer
// them, and the message is no card the bot posted for the item, so a press on it could not act
// anyway. It points at the pressed card, whose buttons stay until Graph's answer settles it.

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { Target } from '../../src/domain/operations';
import { tenantFetch } from '../../src/sandbox/server';
import { pressedData } from '../fixtures/pressedData';
import { GRAPH, Rig, User, cardsOf } from './botRig';
import { FakeClock, settle } from './fakeClock';
import { rigOnFakeClock } from './heldResume';
import { CARD, CHANNEL, approveOf } from './twoStageCard';

/** The seed's one-stage access package request that Megan Bowen or Lynne Robbins approves. */
const SALES = '7999249e-249e-7999-9e24-99799e249985';
const APPROVE: Target = approveOf('decideAccessPackageApproval', SALES);

const hasButtons = (card: string): boolean => card.includes('Action.Execute') || card.includes('Action.Submit');

describe('card clicks: an Action.Submit press answered before Graph', () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));

  /** The rig with CARD, the item's card, posted in CHANNEL, and Megan Bowen and Lynne Robbins signed in. */
  async function cardInChannel(): Promise<{ megan: User; lynne: User }> {
    rig = start({ silent: true });
    await rig.bindings.bind(CHANNEL, CARD, [{ operation: APPROVE.operation, ids: APPROVE.ids }]);
    const megan = rig.user(0);
    const lynne = rig.user(5);
    await rig.signIn(megan);
    await rig.signIn(lynne);
    return { megan, lynne };
  }

  /** Holds the decision's PATCH until `answer()`, which lets the simulated tenant answer it as it
   * then stands. */
  function holdDecision(): { answer: () => void } {
    const graph = tenantFetch(rig.tenant, GRAPH);
    let answer!: () => void;
    rig.hold = (req) => {
      if (req.method !== 'PATCH') return null;
      rig.hold = null;
      return new Promise<Response>((resolve) => (answer = () => resolve(graph(req))));
    };
    return { answer: () => answer() };
  }

  /** `user`'s Approve on CARD as the Action.Submit fallback sends it: what the bot posted. */
  async function submitPress(user: User): Promise<string> {
    const activity: Partial<Activity> = rig.activity(user, {
      type: 'message',
      text: undefined,
      value: pressedData(APPROVE),
      replyToId: CARD,
      conversation: { id: CHANNEL, conversationType: 'channel', tenantId: rig.seed.tenantId, isGroup: true, name: '' },
    });
    return cardsOf((await clock.drive(rig.turn(activity))).value.sent);
  }

  /** The pressed card as everyone sees it once Graph's answer is in and its edits ended. */
  async function pressedCardAfterAnswer(): Promise<string> {
    await settle();
    await rig.bot.idle();
    return cardsOf(rig.updates.filter((u) => u.id === CARD).slice(-1));
  }

  it('its "not answered yet" message has no buttons, and the late success settles the pressed card', async () => {
    const { megan } = await cardInChannel();
    const held = holdDecision();
    const said = await submitPress(megan);
    assert.match(said, /has not answered yet/, said);
    assert.match(
      said,
      /the pressed card changes.*press the pressed card's button again/,
      `it points at the pressed card: ${said}`,
    );
    assert.ok(!hasButtons(said), `the message offers no decision of its own: ${said}`);
    assert.equal(rig.updates.length, 0, 'the pressed card keeps its buttons while Graph works');

    held.answer();
    const card = await pressedCardAfterAnswer();
    assert.match(card, /Approved by Megan Bowen/, card);
    assert.ok(!hasButtons(card), card);
  });

  it('a colleague’s press meanwhile is told who acts, without buttons; the late lost race settles the card', async () => {
    const { megan, lynne } = await cardInChannel();
    const held = holdDecision();
    const pending = await submitPress(megan);
    assert.ok(!hasButtons(pending), pending);
    const acting = await submitPress(lynne);
    assert.match(acting, /Megan Bowen is acting on this right now/, acting);
    assert.match(acting, /the pressed card changes.*press the pressed card's button again/, acting);
    assert.ok(!hasButtons(acting), `the message offers no decision of its own: ${acting}`);

    // Lynne then denies the stage in the My Access portal while Megan's write waits: Graph 409s it.
    const stage = rig.tenant.getApproval(SALES)!.stages[0]!;
    stage.status = 'Completed';
    stage.reviewResult = 'Denied';
    stage.reviewedBy = { id: lynne.aadObjectId, displayName: 'Lynne Robbins' };
    stage.reviewedDateTime = '2026-01-05T09:00:03.000Z';
    held.answer();
    const card = await pressedCardAfterAnswer();
    assert.match(card, /already Denied by Lynne Robbins/, card);
    assert.ok(!hasButtons(card), card);
    assert.equal(rig.tenant.graphRequests().filter((q) => q.method === 'PATCH').length, 1, 'nothing sent twice');
  });
});
