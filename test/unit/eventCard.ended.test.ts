// The card of an access package event whose approvalExpiresDateTime is at or before the moment it is
// rendered for sending. durationBeforeAutomaticDenial is "the number of days that a request can be
// pending a response before it is automatically denied"
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage; "If a request isn't
// approved within this time period, it's automatically denied",
// https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy):
// only a stage still pending then is denied. Another approver may have decided it before, or a later
// stage run now, so the card says what happened only on that condition. An approver's card offers no
// Approve or Deny (the stage it was sent for is over either way). The requester's own card keeps
// Cancel: a request approved with a later start date is pendingNotBefore, which Graph still cancels
// (https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-cancel), and a click reads the
// request from Graph first. The time shown is never before the moment itself.
// An approval whose moment is still ahead is sent as it always was.

import { strict as assert } from 'node:assert';
import { eventCard, itemCard } from '../../src/bot/replyCards';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { buttonsOf } from '../fixtures/cardButtons';

const REQUEST = '7999249e-249e-7999-9e24-99799e249979';
const PATTI = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const MOMENT = '2026-03-18T08:30:00Z';
const AT = Date.parse(MOMENT);

const parsed = (body: Record<string, unknown>, now: number): NotificationEvent => {
  const r = parseEvent(
    {
      eventId: 'e-1',
      target: { userId: PATTI },
      requestId: REQUEST,
      principalName: 'Adele Vance',
      accessPackageName: 'Marketing campaign tools',
      approvalExpiresDateTime: MOMENT,
      ...body,
    },
    now,
  );
  assert.ok(r.ok, JSON.stringify(r));
  return r.event;
};
const actionsOf = (reply: { attachment: { content?: unknown } }): unknown[] => buttonsOf(reply.attachment.content);
/** The card as it was before the moment mattered. */
/** The card as it always was; an approval's decision buttons also carry its moment (Target.endsAt),
 * so a press after it sends no decision (cardAction.ts). */
const unchanged = (e: NotificationEvent) =>
  itemCard(
    e.kind === 'accessApproval' && e.approvalExpiresAt !== undefined
      ? { ...e.item, endsAt: e.approvalExpiresAt }
      : e.item,
    {
      ...(e.title ? { title: e.title } : {}),
      text: e.text,
      facts: e.facts,
      settled: false,
    },
  );

describe('eventCard: an access package approval whose moment has passed', () => {
  const CONDITIONAL =
    /Its approval time ended at 2026-03-18 08:30 UTC; if no one decided by then, Microsoft Entra denied it automatically/;

  it('accessApproval: no buttons, and says the approval time ended then, denied only if no one decided', () => {
    for (const now of [AT, AT + 1, AT + 90 * 24 * 3600_000]) {
      const card = eventCard(parsed({ kind: 'accessApproval' }, now), now);
      const text = JSON.stringify(card.attachment);
      assert.deepEqual(actionsOf(card), [], `at ${new Date(now).toISOString()}`);
      assert.match(text, /The approval time has ended/);
      // The cards' own form of a date and time (wording.ts stamp).
      assert.match(text, CONDITIONAL);
      assert.doesNotMatch(text, /denied the request automatically then/, 'no denial stated as fact');
      assert.match(text, /Approve and Deny are no longer offered here/);
      assert.match(text, /requested Marketing campaign tools/, 'the event still says what was requested');
      assert.match(text, new RegExp(REQUEST), 'and names the request');
      assert.match(card.summary, /The approval time has ended/);
    }
  });

  it('accessRequest: keeps Cancel (an approved request waiting for its start date is cancellable), and says so', () => {
    for (const now of [AT, AT + 90 * 24 * 3600_000]) {
      const e = parsed({ kind: 'accessRequest' }, now);
      const card = eventCard(e, now);
      const text = JSON.stringify(card.attachment);
      assert.deepEqual(actionsOf(card), actionsOf(unchanged(e)), 'the Cancel it always had');
      assert.ok(actionsOf(card).length > 0);
      assert.match(text, /The approval time has ended/);
      assert.match(text, CONDITIONAL);
      assert.doesNotMatch(text, /cannot be cancelled/);
      assert.match(text, /approved with a later start date, it can still be cancelled/);
      assert.match(card.summary, /The approval time has ended/);
    }
  });

  it('never shows a time before the moment: seconds when the moment has them, rounded up', () => {
    for (const [moment, shown] of [
      ['2026-03-18T09:30:59Z', '2026-03-18 09:30:59 UTC'],
      ['2026-03-18T09:30:58.001Z', '2026-03-18 09:30:59 UTC'],
      ['2026-03-18T09:30:59.200Z', '2026-03-18 09:31 UTC'],
      ['2026-03-18T09:30:00Z', '2026-03-18 09:30 UTC'],
    ] as const) {
      const at = Date.parse(moment);
      const card = eventCard(parsed({ kind: 'accessApproval', approvalExpiresDateTime: moment }, at), at);
      assert.match(JSON.stringify(card.attachment), new RegExp(`ended at ${shown};`), moment);
    }
  });

  it('judges the moment at the render, not at the intake: accepted in time, rendered after it', () => {
    const e = parsed({ kind: 'accessApproval' }, AT - 60_000);
    assert.ok(actionsOf(eventCard(e, AT - 1)).length > 0, 'before its moment it has its buttons');
    assert.deepEqual(actionsOf(eventCard(e, AT)), [], 'at its moment it has none');
  });

  it('an approval for its own requester whose moment passed says it ended, not how to withdraw it', () => {
    const card = eventCard(parsed({ kind: 'accessApproval', principalId: PATTI }, AT), AT);
    const text = JSON.stringify(card.attachment);
    assert.deepEqual(actionsOf(card), []);
    assert.match(text, /The approval time has ended/);
    assert.doesNotMatch(text, /cancel access-request/);
  });

  it("the ended card sent to its own requester has the requester's words, not an approver's", () => {
    // "Approvers aren't able to approve ... their own access package requests"
    // (https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy):
    // a later stage never waits for them, and what they can do is see where their request stands.
    const card = eventCard(parsed({ kind: 'accessApproval', principalId: PATTI }, AT), AT);
    const text = JSON.stringify(card.attachment);
    assert.deepEqual(actionsOf(card), []);
    assert.match(
      text,
      /Your request's approval time ended at 2026-03-18 08:30 UTC; if no one decided it by then, Microsoft Entra denied it automatically/,
    );
    assert.doesNotMatch(text, /If a later stage waits for you|my approvals|the requester has to/);
    assert.match(text, /my requests/);
    assert.match(text, /approved with a later start date, it can still be cancelled/);
    assert.match(text, /request the access package again/);
    // Sent to another approver, the same event keeps the approver's words.
    const other = JSON.stringify(
      eventCard(parsed({ kind: 'accessApproval', principalId: REQUEST }, AT), AT).attachment,
    );
    assert.match(other, /If a later stage waits for you, my approvals lists it/);
  });

  it('a card whose moment is ahead, or that states none, is the card it always was', () => {
    for (const kind of ['accessApproval', 'accessRequest']) {
      const ahead = parsed({ kind }, AT - 1);
      assert.deepEqual(eventCard(ahead, AT - 1), unchanged(ahead), kind);
      assert.ok(actionsOf(eventCard(ahead, AT - 1)).length > 0, `${kind} has its buttons`);
      const none = parsed({ kind, approvalExpiresDateTime: undefined }, AT + 1);
      assert.deepEqual(eventCard(none, AT + 1), unchanged(none), `${kind} without a moment`);
    }
  });
});
