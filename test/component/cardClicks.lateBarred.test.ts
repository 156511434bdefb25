// A decision whose read before the write (the request as the approver's own filter returns it,
// graph/decisionBars.ts) answers after the press had to ("Microsoft Graph has not answered yet"),
// and finds a decision no press can make: a PIM extension or renewal, which "is currently not
// supported by the Microsoft Graph API", or the presser's own request ("Approvers aren't able to
// approve their own role activation requests",
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// The card then changes as it does when that read answers in time: the extension's card loses its
// buttons for everyone, saying where to decide it; the presser's own request loses them only on a
// card the presser alone reads (their personal chat), a channel's card staying for its other
// approvers. The invoke was answered already, so the card is edited
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { tenantFetch } from '../../src/sandbox/server';
import { pressedData } from '../fixtures/pressedData';
import { GRAPH, Rig, cardsOf } from './botRig';
import { FakeClock, settle } from './fakeClock';
import { rigOnFakeClock } from './heldResume';
import { CARD, CHANNEL, pressInChannel } from './twoStageCard';

/** The seed's PIM role extension request (selfExtend) that Megan Bowen approves. */
const ROLE_EXTEND = '95c690fb-3eb3-4942-a03f-4524aed6f32c';
/** A PIM role request Megan Bowen asked for and is named an approver of. */
const MEGANS_OWN = '5e1f0a11-0000-4aaa-8bbb-00000000c0de';

const hasButtons = (card: string): boolean => card.includes('Action.Execute') || card.includes('Action.Submit');
const approve = (requestId: string): Target => ({
  operation: 'decideRoleApproval',
  ids: { requestId },
  decision: 'approve',
});

describe('card clicks: a decision barred by a read that answered after the press', () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));

  async function signedIn(): Promise<void> {
    rig = start({ silent: true });
    rig.tenant.addRoleRequest({
      id: MEGANS_OWN,
      status: 'PendingApproval',
      roleName: 'Exchange Administrator',
      principal: 'Megan Bowen',
      justification: 'Mailbox migration',
      duration: 'PT4H',
      approvers: ['Megan Bowen', 'Lynne Robbins'],
    });
    await rig.signIn(rig.user(0));
  }

  /** Holds the read before the decision until `answer()`, which lets the simulated tenant answer it. */
  function holdReadBeforeDecision(): { answer: () => void } {
    const graph = tenantFetch(rig.tenant, GRAPH);
    let answer!: () => void;
    rig.hold = (req) => {
      if (req.method !== 'GET' || !decodeURIComponent(req.url).includes("filterByCurrentUser(on='approver')"))
        return null;
      rig.hold = null;
      return new Promise<Response>((resolve) => (answer = () => resolve(graph(req))));
    };
    return { answer: () => answer() };
  }

  /** Each card's last edit once the read's answer is in and every edit after it ended. */
  async function editsAfterAnswer(): Promise<(id: string) => string> {
    await settle();
    await rig.bot.idle();
    return (id) => cardsOf(rig.updates.filter((u) => u.id === id).slice(-1));
  }

  const patches = () => rig.tenant.graphRequests().filter((q) => q.method === 'PATCH').length;

  it('an extension’s card in a channel loses its buttons for everyone, saying where to decide it', async () => {
    await signedIn();
    const target = approve(ROLE_EXTEND);
    await rig.bindings.bind(CHANNEL, CARD, [{ operation: target.operation, ids: target.ids }]);
    const held = holdReadBeforeDecision();
    const said = JSON.stringify((await clock.drive(pressInChannel(rig, rig.user(0), pressedData(target)))).value);
    assert.match(said, /has not answered yet/, said);
    assert.equal(rig.updates.length, 0);

    held.answer();
    const card = (await editsAfterAnswer())(CARD);
    assert.match(card, /Microsoft Entra admin center/, card);
    assert.ok(!hasButtons(card), `no Approve or Deny left for anyone: ${card}`);
    assert.equal(patches(), 0, 'no decision was sent');
  });

  it('the presser’s own request: their card in their personal chat loses its buttons; a channel’s stays', async () => {
    await signedIn();
    const megan = rig.user(0);
    const target = approve(MEGANS_OWN);
    await rig.postCard(megan, 'card-own', target);
    let held = holdReadBeforeDecision();
    const said = JSON.stringify((await clock.drive(rig.click(megan, target, 'card-own'))).value.body.value);
    assert.match(said, /has not answered yet/, said);
    held.answer();
    const own = (await editsAfterAnswer())('card-own');
    assert.match(own, /own request/i, own);
    assert.ok(!hasButtons(own), `her copy keeps no Approve or Deny: ${own}`);

    await rig.bindings.bind(CHANNEL, CARD, [{ operation: target.operation, ids: target.ids }]);
    held = holdReadBeforeDecision();
    const inChannel = JSON.stringify((await clock.drive(pressInChannel(rig, megan, pressedData(target)))).value);
    assert.match(inChannel, /has not answered yet/, inChannel);
    held.answer();
    assert.equal((await editsAfterAnswer())(CARD), '[]', 'the channel’s card stays for Lynne Robbins');
    assert.equal(patches(), 0, 'no decision was sent');
  });
});
