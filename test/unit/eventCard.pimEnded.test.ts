// The card of a PIM approval event sent at or after its approval's moment: 24 hours after the request
// was made ("Delegated approvers have 24 hours to approve requests ... The 24 hour approval time
// window isn't configurable",
// https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow;
// PIM for Groups the same,
// https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-approval-workflow).
// The event says when its request was made (createdDateTime). An approver's card then offers no
// Approve or Deny and says the request expired if no one decided it. The requester's own card keeps
// Cancel: Graph cancels a request "that is in a Granted status"
// (https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-cancel), as one
// approved in time for a later start still is, and a click reads the request first. The decision
// buttons carry the moment (Target.endsAt), so a press after it sends nothing (cardAction.ts). An
// event that does not say when its request was made is sent as it always was.

import { strict as assert } from 'node:assert';
import { parseButtonData } from '../../src/bot/cardActions';
import { endedCard } from '../../src/bot/cardEnded';
import { createReplyCards, eventCard, itemCard } from '../../src/bot/replyCards';
import { endedFromRecords } from '../../src/notifications/endedAlert';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { timedCard } from '../../src/notifications/timedCard';
import { buttonsOf } from '../fixtures/cardButtons';

const REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const PATTI = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const CREATED = '2026-11-30T08:30:00Z';
const AT = Date.parse(CREATED) + 24 * 3_600_000;

const parsed = (body: Record<string, unknown>, now: number): NotificationEvent => {
  const r = parseEvent(
    {
      eventId: 'pim-1',
      target: { userId: PATTI },
      requestId: REQUEST,
      principalName: 'Megan Bowen',
      roleName: 'Exchange Administrator',
      groupName: 'Finance admins',
      createdDateTime: CREATED,
      ...body,
    },
    now,
  );
  assert.ok(r.ok, JSON.stringify(r));
  return r.event;
};
type Button = { title: string; data?: Record<string, unknown>; card?: unknown };
const actionsOf = (reply: { attachment: { content?: unknown } }): Button[] =>
  buttonsOf<Button>(reply.attachment.content);
const textOf = (reply: { attachment: unknown }): string => JSON.stringify(reply.attachment);
/** The card as it was before the moment mattered, with no moment on its buttons. */
const plain = (e: NotificationEvent) =>
  itemCard(e.item, { ...(e.title ? { title: e.title } : {}), text: e.text, facts: e.facts, settled: false });

describe('eventCard: a PIM approval whose 24 hours have passed', () => {
  for (const kind of ['roleApproval', 'groupApproval']) {
    it(`${kind}: no Approve or Deny from 24 h after the request, and says it expired if no one decided`, () => {
      const e = parsed({ kind }, AT - 3_600_000);
      assert.ok(actionsOf(eventCard(e, AT - 1)).length > 0, 'a millisecond before, it has its buttons');
      for (const now of [AT, AT + 1, AT + 30 * 24 * 3_600_000]) {
        const card = eventCard(e, now);
        const text = textOf(card);
        assert.deepEqual(actionsOf(card), [], `at ${new Date(now).toISOString()}`);
        assert.match(text, /The approval time has ended/);
        assert.match(
          text,
          /Its approval time ended at 2026-12-01 08:30 UTC; if no one decided by then, the request expired/,
        );
        assert.match(text, /nothing left to approve or deny here/);
        assert.doesNotMatch(text, /Microsoft Entra denied|access package/, 'not the access package words');
        assert.match(text, new RegExp(REQUEST));
        assert.match(card.summary, /The approval time has ended/);
      }
    });
  }

  it('the decision buttons carry the moment, so a press after it sends nothing', () => {
    for (const kind of ['roleApproval', 'groupApproval']) {
      const e = parsed({ kind }, AT - 3_600_000);
      const buttons = actionsOf(eventCard(e, AT - 3_600_000));
      assert.deepEqual(
        buttons.map((b) => b.title),
        ['Approve', 'Deny'],
      );
      // Approve and Deny each open their required justification first (a PIM approval's policy
      // asks the approver for one): each Execute sits in the card its button shows.
      const decisions = buttons.flatMap((b) => buttonsOf<Button>(b.card));
      assert.equal(decisions.length, 2);
      for (const b of decisions) {
        // The justification arrives merged into the data under the input's id.
        const why = {
          [`justification_${REQUEST}`]: 'Not needed this quarter',
          [`justification_approve_${REQUEST}`]: 'Confirmed with the requester',
        };
        const p = parseButtonData({ ...b.data, ...why });
        assert.ok(p.ok, JSON.stringify(p));
        assert.equal(p.target.endsAt, AT, `${kind} ${b.title}`);
      }
    }
  });

  it("a presser after the moment is told the PIM request's words", () => {
    const cards = createReplyCards({ cloud: 'global', examples: null });
    const card = endedCard(cards, { operation: 'decideRoleApproval', ids: { requestId: REQUEST }, endsAt: AT }, '');
    const text = textOf(card);
    assert.match(text, /if no one decided by then, the request expired/);
    assert.doesNotMatch(text, /Microsoft Entra denied|access package/);
    assert.deepEqual(actionsOf(card), []);
  });

  for (const kind of ['roleRequest', 'groupRequest']) {
    it(`${kind}: the requester keeps Cancel (a Granted request is still cancellable), with no moment on it`, () => {
      const e = parsed({ kind }, AT);
      const card = eventCard(e, AT);
      const text = textOf(card);
      assert.deepEqual(actionsOf(card), actionsOf(plain(e)), 'the Cancel it always had');
      assert.equal(actionsOf(card).length, 1);
      assert.match(text, /The approval time has ended/);
      assert.match(text, /if no one decided by then, the request expired/);
      assert.match(text, /approved in time for a later start, it can still be cancelled/);
      assert.doesNotMatch(text, /access package/);
    });
  }

  it("an approval sent to its own requester has the requester's words", () => {
    const card = eventCard(parsed({ kind: 'roleApproval', principalId: PATTI }, AT), AT);
    const text = textOf(card);
    assert.deepEqual(actionsOf(card), []);
    assert.match(text, /Your request's approval time ended at 2026-12-01 08:30 UTC, 24 hours after you made it/);
    assert.match(text, /my requests/);
    assert.doesNotMatch(text, /the requester has to|access package/);
  });

  it('without createdDateTime, or with its 24 hours ahead, the card is the one it always was', () => {
    for (const kind of ['roleApproval', 'groupApproval', 'roleRequest', 'groupRequest']) {
      const none = parsed({ kind, createdDateTime: undefined }, AT + 1);
      assert.deepEqual(eventCard(none, AT + 1), plain(none), `${kind} without a moment`);
      const ahead = parsed({ kind }, AT - 1);
      assert.ok(actionsOf(eventCard(ahead, AT - 1)).length > 0, kind);
      assert.doesNotMatch(textOf(eventCard(ahead, AT - 1)), /approval time has ended/, kind);
    }
  });

  it('an extension, decided only in an admin center, keeps its own card', () => {
    const e = parsed({ kind: 'roleApproval', requestAction: 'selfExtend' }, AT);
    const text = textOf(eventCard(e, AT));
    assert.doesNotMatch(text, /approval time has ended/);
    assert.deepEqual(actionsOf(eventCard(e, AT)), []);
  });

  it('a channel post after the moment takes the ended card, also for an alert stored without one', async () => {
    const e = parsed({ kind: 'roleApproval', target: { category: 'approvals' } }, AT - 3_600_000);
    const timed = timedCard(eventCard, e, AT - 3_600_000);
    assert.ok(timed.ended, 'the ended card is kept beside the alert');
    assert.equal(timed.ended.at, AT);
    assert.match(JSON.stringify(timed.ended.card), /the request expired/);
    const acceptedAt = '2026-12-01T07:30:00.000Z';
    const events = { get: async () => ({ acceptedAt, event: e }) as never };
    const ended = await endedFromRecords(
      events,
      eventCard,
    )({
      eventId: 'pim-1',
      acceptedAt,
      item: e.item,
    } as never);
    assert.ok(ended, 'the earlier release stored none: read from the record');
    assert.equal(ended.at, AT);
  });
});
