// The README's approval cards, checked from the outside: an approval notification posted through
// the intake to a channel, its buttons pressed as Teams sends a Universal Actions click
// (adaptiveCard/action, https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).
// README, "Notifications": "Approval cards act as the person who clicks, on the stage of the
// approval that is theirs (found by reading the approval, never sent in the event). A click shows
// the approval's live state: decided elsewhere, the card says by whom and when; someone who is not
// an approver of the stage is told so and the buttons stay for the others."
// Graph: an approval has stages; only the stage that is InProgress waits, and a later stage starts
// when the one before is approved (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage,
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update).

import { strict as assert } from 'node:assert';
import { RecordedCall, Who, cardText, invoke, post, userOf } from './harness';
import { contractSession } from './contractSession';
import { buttonsOf as cardButtonsOf } from '../fixtures/cardButtons';
import { pressOf } from '../fixtures/pressedData';

type Card = Record<string, unknown>;
type Button = { type: string; title: string; data?: Record<string, unknown> };
/** The card's buttons, in the ActionSet its Action.Execute buttons sit in. */
const buttonsOf = (card: Card | undefined): Button[] => cardButtonsOf<Button>(card);

describe('README: approval cards (black box)', function () {
  this.timeout(90_000);
  const s = contractSession();
  const CHANNEL = '19:readme-cards@thread.tacv2';
  let seq = 0;

  /** Posts an approval event to the channel through the intake; the card the bot posted and its message id. */
  async function announce(event: Record<string, unknown>, marker: RegExp): Promise<{ card: RecordedCall; id: string }> {
    const w = s.world;
    const token = w.tenant.issueAppToken({
      audience: w.seed.app.clientId,
      roles: ['Notifications.Send'],
      host: new URL(w.tenantServer.url).host,
    });
    const mark = w.calls.length;
    const res = await fetch(`${s.bot.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ eventId: `readme-card-${++seq}`, target: { channelId: CHANNEL }, ...event }),
    });
    assert.equal(res.status, 202, await res.text());
    const card = await w.waitFor(
      (c) =>
        w.calls.indexOf(c) >= mark && c.method === 'POST' && c.conversationId === CHANNEL && marker.test(cardText(c)),
    );
    // The recording connector names each accepted activity act-<n>, n counting every call.
    return { card, id: `act-${w.calls.indexOf(card) + 1}` };
  }

  /** The seed's one-stage PIM for Groups approval (Patti's Payroll admins request), to the channel. */
  const announcePayrollApproval = () =>
    announce(
      {
        kind: 'groupApproval',
        requestId: s.world.seed.examples.groupApprovalId,
        principalName: 'Patti Fernandez',
        groupName: 'Payroll admins',
      },
      /Payroll admins/,
    );

  function contentOf(call: RecordedCall): Card {
    return (call.activity.attachments as Array<{ content: Card }>)[0]!.content;
  }

  function approveData(call: RecordedCall): Record<string, unknown> {
    // A PIM approval's Approve opens a required "Why?" box; the press carries what was typed there.
    const approve = buttonsOf(contentOf(call))
      .flatMap(pressOf)
      .find((a) => a.title === 'Approve');
    assert.ok(approve?.data, `the card has an Approve button: ${cardText(call)}`);
    return approve.data;
  }

  async function press(who: Who, data: Record<string, unknown>, cardId: string) {
    const activity = {
      ...invoke(
        s.world,
        who,
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' },
        CHANNEL,
      ),
      replyToId: cardId,
    };
    const res = await post(s.world, s.bot, activity);
    return {
      status: res.status,
      body: JSON.parse(res.body || '{}') as { statusCode: number; type: string; value: Card },
    };
  }

  before(async () => {
    const w = s.world;
    // The bot hears the channel once (its reference), and each clicker holds a token.
    await s.say(userOf(w.seed, 0), 'help', 'channel', CHANNEL);
    for (const i of [0, 4, 5, 6]) await s.run(userOf(w.seed, i), 'my requests');
  });

  it('after the first stage of a two-stage access package approval, the card everyone sees still lets the second stage approve', async () => {
    const w = s.world;
    const megan = userOf(w.seed, 0);
    const lynne = userOf(w.seed, 5);
    const id = w.seed.examples.accessApprovalId; // stage 1: Megan or Lynne; stage 2: Lynne
    const { card, id: cardId } = await announce(
      { kind: 'accessApproval', requestId: id, principalName: 'Patti Fernandez', accessPackageName: 'Finance reports' },
      /Finance reports/,
    );
    const answer = await press(megan, approveData(card), cardId);
    assert.equal(answer.body.statusCode, 200);
    const stages = w.tenant.getApproval(id)!.stages as Array<{ status: string }>;
    assert.deepEqual(
      stages.map((st) => st.status),
      ['Completed', 'InProgress'],
      'Graph: the request now waits for its second stage',
    );
    // The edit for everyone follows the answer; waitFor fails the test when it never comes.
    await w.waitFor((c) => c.method === 'PUT' && c.activityId === cardId);
    const edit = w.calls.filter((c) => c.method === 'PUT' && c.activityId === cardId).at(-1);
    assert.ok(edit, 'the card was edited for everyone');
    assert.ok(
      buttonsOf(contentOf(edit)).some((a) => a.title === 'Approve'),
      `the second stage's approver (${lynne.name}) keeps an Approve button on the card everyone sees: ${cardText(edit)}`,
    );
  });

  it('a click by the requester, who may read the approval but approves nothing, is told so and leaves the buttons for the approvers', async () => {
    // Graph lets the requester read the approval (no stage is assigned to them); README: "someone
    // who is not an approver of the stage is told so and the buttons stay for the others".
    const w = s.world;
    const patti = userOf(w.seed, 4); // requested the Payroll admins membership
    const { card, id: cardId } = await announcePayrollApproval();
    const mark = w.calls.length;
    const answer = await press(patti, approveData(card), cardId);
    assert.equal(answer.body.statusCode, 200);
    const seen = JSON.stringify(answer.body.value);
    assert.match(seen, /not an approver/, seen);
    assert.ok(
      buttonsOf(answer.body.value).some((a) => a.title === 'Approve'),
      `her view keeps the buttons: ${seen}`,
    );
    const edits = w.calls.slice(mark).filter((c) => c.method === 'PUT' && c.activityId === cardId);
    assert.equal(edits.length, 0, 'the card everyone sees is not changed');
    assert.equal(w.tenant.getApproval(w.seed.examples.groupApprovalId)!.stages[0]!.status, 'InProgress');
  });

  it('a click by someone who is not an approver, on a card whose approval is already decided, shows who decided and no buttons', async () => {
    const w = s.world;
    const megan = userOf(w.seed, 0);
    const diego = userOf(w.seed, 6); // holds every permission, approver of nothing
    const { card, id: cardId } = await announcePayrollApproval();
    const data = approveData(card);
    const decided = await press(megan, data, cardId);
    assert.match(JSON.stringify(decided.body.value), /Approved by Megan Bowen/);
    const late = await press(diego, data, cardId);
    assert.equal(late.body.statusCode, 200);
    const seen = JSON.stringify(late.body.value);
    assert.match(seen, /Approved by Megan Bowen/, `the live state, by whom: ${seen}`);
    assert.ok(
      !buttonsOf(late.body.value).some((a) => a.title === 'Approve' || a.title === 'Deny'),
      `a decided approval offers no buttons again: ${seen}`,
    );
  });
});
