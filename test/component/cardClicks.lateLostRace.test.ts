// A press whose write Graph had not answered when the press had to answer (8 s: "Microsoft Graph has
// not answered yet … if it has not changed within a minute, press the button again") and whose
// answer, when it comes, is a refusal because the item finished meanwhile: another approver's 409
// ("already been approved by another approver in the same approval stage",
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0). No button
// of the card can act on it any more, so it is settled as a press that lost the race in time is
// (approvalCards.lostRaceButtons): for everyone, in the race's words, and its copies in other
// channels too. The invoke was answered already and its card replaces the presser's copy only; what
// everyone sees changes only by an edit of the message, made outside the turn through
// continueConversationAsync
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages;
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format).
// A late success settles the card and its copies as before, and a late plain failure leaves them
// as they are (the card told the presser to press again if it had not changed).

import { strict as assert } from 'node:assert';
import { ItemCopies } from '../../src/alerts/itemCopies';
import { CardCopyUpdates } from '../../src/bot/teamsEdge';
import { Target } from '../../src/domain/operations';
import { tenantFetch } from '../../src/sandbox/server';
import { CardEditLog } from '../../src/state/cardEditLog';
import { pressedData } from '../fixtures/pressedData';
import { GRAPH, Rig, cardsOf } from './botRig';
import { FakeClock, settle } from './fakeClock';
import { rigOnFakeClock } from './heldResume';
import { CARD, CHANNEL, approveOf, pressInChannel } from './twoStageCard';

/** The seed's one-stage access package request that Megan Bowen or Lynne Robbins approves. */
const SALES = '7999249e-249e-7999-9e24-99799e249985';
const APPROVE: Target = approveOf('decideAccessPackageApproval', SALES);
/** The other channel the item's card was posted in, and that copy's message id. */
const OTHER = '19:ops-b@thread.tacv2';
const COPY = 'copy-in-ops-b';

const hasButtons = (card: string): boolean => card.includes('Action.Execute') || card.includes('Action.Submit');

describe('card clicks: a write answered after its press, that lost the race to another approver', () => {
  let rig: Rig;
  let clock: FakeClock;
  let copies: CardCopyUpdates;
  const start = rigOnFakeClock((c) => (clock = c));

  /** The rig, its copies of the item's card updated as the app does, CARD in CHANNEL and COPY in OTHER. */
  async function channelsWithCopies(): Promise<void> {
    rig = start({
      silent: true,
      extend: (r) => {
        copies = new CardCopyUpdates({
          copies: new ItemCopies(r.state.records),
          channelReference: async (channelId) => ({
            serviceUrl: 'https://smba.test/',
            channelId: 'msteams',
            conversation: { id: channelId, conversationType: 'channel', isGroup: true, tenantId: r.seed.tenantId },
          }),
          proactive: (reference, logic) => r.proactive(reference, logic),
          editLog: new CardEditLog(r.state.records),
          logger: r.logger,
          servedTenant: r.seed.tenantId,
        });
        return { deps: { copies } };
      },
    });
    const item = { operation: APPROVE.operation, ids: APPROVE.ids };
    const itemCopies = new ItemCopies(rig.state.records);
    for (const [conversationId, activityId] of [
      [CHANNEL, CARD],
      [OTHER, COPY],
    ] as const) {
      await rig.bindings.bind(conversationId, activityId, [item]);
      await itemCopies.add(item, { conversationId, activityId, channelId: conversationId });
    }
  }

  /** Lynne Robbins denies the stage, as her own press or the My Access portal would. */
  const lynneDenies = (): void => {
    const stage = rig.tenant.getApproval(SALES)!.stages[0]!;
    stage.status = 'Completed';
    stage.reviewResult = 'Denied';
    stage.reviewedBy = { id: rig.user(5).aadObjectId, displayName: 'Lynne Robbins' };
    stage.reviewedDateTime = '2026-01-05T09:00:03.000Z';
  };

  /** Holds the decision's PATCH (`meanwhile` runs as it arrives) until `answer()`: the simulated
   * tenant then answers it as it stands, or `res` answers instead without it. */
  function holdDecision(meanwhile: () => void = () => undefined): { answer: (res?: Response) => void } {
    const graph = tenantFetch(rig.tenant, GRAPH);
    let answer!: (res?: Response) => void;
    rig.hold = (req) => {
      if (req.method !== 'PATCH') return null;
      rig.hold = null;
      meanwhile();
      return new Promise<Response>((resolve) => (answer = (res) => resolve(res ?? graph(req))));
    };
    return { answer: (res) => answer(res) };
  }

  /** Megan Bowen's Approve on CARD, answered before Graph: the invoke's answer. */
  async function pressAnsweredBeforeGraph(): Promise<string> {
    const said = JSON.stringify((await clock.drive(pressInChannel(rig, rig.user(0), pressedData(APPROVE)))).value);
    assert.match(said, /has not answered yet/);
    assert.ok(hasButtons(said), `the presser keeps the buttons meanwhile: ${said}`);
    assert.equal(rig.updates.length, 0, 'nobody’s card changed while Graph works');
    return said;
  }

  /** Once the write's answer is in and every edit after it ended: what each copy ends on. */
  async function cardsAfterAnswer(): Promise<{ card: string; copy: string; edits: number }> {
    await settle();
    await rig.bot.idle();
    await copies.idle();
    const of = (id: string) => rig.updates.filter((u) => u.id === id);
    const last = (id: string) => cardsOf(of(id).slice(-1));
    assert.ok(
      of(COPY).every((u) => u.conversation?.id === OTHER),
      'the copy is edited in its own channel',
    );
    return { card: last(CARD), copy: last(COPY), edits: of(CARD).length + of(COPY).length };
  }

  const lastPatch = () =>
    rig.tenant
      .graphRequests()
      .filter((q) => q.method === 'PATCH')
      .at(-1)?.status;

  it('a 409 after the answer: the card and its copy in another channel lose their buttons, in the race’s words', async () => {
    await channelsWithCopies();
    const held = holdDecision(lynneDenies);
    await pressAnsweredBeforeGraph();

    held.answer();
    const { card, copy } = await cardsAfterAnswer();
    assert.equal(lastPatch(), 409, 'Graph refused the late write');
    const shownTo: Array<[string, string]> = [
      ['the pressed card', card],
      ['the copy in the other channel', copy],
    ];
    for (const [where, shown] of shownTo) {
      assert.match(
        shown,
        /Someone else decided first\. Microsoft Graph refused: .*already Denied by Lynne Robbins/,
        `${where} says who decided first: ${shown}`,
      );
      assert.ok(!hasButtons(shown), `${where} keeps no Approve or Deny: ${shown}`);
    }
    // A press now is answered from Graph's state, and nothing more is sent.
    const again = JSON.stringify((await clock.drive(pressInChannel(rig, rig.user(0), pressedData(APPROVE)))).value);
    assert.match(again, /Denied by Lynne Robbins/);
    assert.equal(rig.tenant.graphRequests().filter((q) => q.method === 'PATCH').length, 1);
  });

  it('the Action.Submit fallback alike: its message answered before Graph, the card edited without buttons', async () => {
    await channelsWithCopies();
    const megan = rig.user(0);
    await rig.signIn(megan);
    const held = holdDecision(lynneDenies);
    const activity = rig.activity(megan, {
      type: 'message',
      text: undefined,
      value: pressedData(APPROVE),
      replyToId: CARD,
      conversation: { id: CHANNEL, conversationType: 'channel', tenantId: rig.seed.tenantId, isGroup: true, name: '' },
    });
    const pressed = (await clock.drive(rig.turn(activity))).value;
    assert.match(cardsOf(pressed.sent), /has not answered yet/);

    held.answer();
    const { card, copy } = await cardsAfterAnswer();
    assert.equal(lastPatch(), 409);
    for (const shown of [card, copy]) {
      assert.match(shown, /already Denied by Lynne Robbins/, shown);
      assert.ok(!hasButtons(shown), shown);
    }
  });

  /** Megan Bowen's own approval of the stage, made elsewhere (the My Access portal) while her press's
   * PATCH waits: Graph then refuses hers as already decided, by her. */
  const meganApprovedElsewhere = (): void => {
    const stage = rig.tenant.getApproval(SALES)!.stages[0]!;
    stage.status = 'Completed';
    stage.reviewResult = 'Approved';
    stage.reviewedBy = { id: rig.user(0).aadObjectId, displayName: 'Megan Bowen' };
    stage.reviewedDateTime = '2026-01-05T09:00:03.000Z';
  };

  it('a 409 for the presser’s own decision made elsewhere: their card in their personal chat loses its buttons', async () => {
    await channelsWithCopies();
    const megan = rig.user(0);
    await rig.postCard(megan, 'card-own', APPROVE);
    const held = holdDecision(meganApprovedElsewhere);
    const said = JSON.stringify((await clock.drive(rig.click(megan, APPROVE, 'card-own'))).value.body.value);
    assert.match(said, /has not answered yet/);

    held.answer();
    await cardsAfterAnswer();
    assert.equal(lastPatch(), 409);
    const own = cardsOf(rig.updates.filter((u) => u.id === 'card-own').slice(-1));
    assert.match(own, /You already decided this/, own);
    assert.ok(!hasButtons(own), `her own copy keeps no Approve or Deny: ${own}`);
    const channels = rig.updates.filter((u) => u.id === CARD || u.id === COPY);
    assert.equal(channels.length, 0, 'words addressed to her are not put on the channels’ cards');
  });

  it('the same 409 on a channel’s card: no edit says "you" to the channel', async () => {
    await channelsWithCopies();
    const held = holdDecision(meganApprovedElsewhere);
    await pressAnsweredBeforeGraph();

    held.answer();
    const { edits } = await cardsAfterAnswer();
    assert.equal(lastPatch(), 409);
    assert.equal(edits, 0, 'the channels’ cards stay, saying nothing addressed to Megan');
    // A press there reads the item and settles it for everyone, in words for everyone.
    const lynnes = JSON.stringify((await clock.drive(pressInChannel(rig, rig.user(5), pressedData(APPROVE)))).value);
    const { card } = await cardsAfterAnswer();
    assert.match(lynnes, /Megan Bowen/, lynnes);
    assert.ok(!hasButtons(card), card);
    assert.doesNotMatch(card, /You already decided this/, card);
  });

  it('a late success still settles the card and its copy for everyone', async () => {
    await channelsWithCopies();
    const held = holdDecision();
    await pressAnsweredBeforeGraph();

    held.answer();
    const { card, copy } = await cardsAfterAnswer();
    assert.equal(lastPatch(), 204);
    for (const shown of [card, copy]) {
      assert.match(shown, /Approved by Megan Bowen/, shown);
      assert.ok(!hasButtons(shown), shown);
    }
  });

  it('a late plain failure changes no card: the one the presser got says to press again if nothing changed', async () => {
    await channelsWithCopies();
    const held = holdDecision();
    const said = await pressAnsweredBeforeGraph();
    assert.match(said, /if it has not changed within a minute, press the button again/);

    held.answer(
      new Response(JSON.stringify({ error: { code: 'Authorization_RequestDenied', message: 'refused by the test' } }), {
        status: 403,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const { edits } = await cardsAfterAnswer();
    assert.equal(edits, 0, 'nobody’s card changed, and the buttons stay for a press that acts');
  });
});
