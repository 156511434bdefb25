// The card of an access package event whose approvalExpiresDateTime is at or before the moment it is
// rendered for sending: the stage was denied automatically then ("If a request isn't approved within
// this time period, it's automatically denied. The user has to submit another request for the access
// package.",
// https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy;
// durationBeforeAutomaticDenial, https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage),
// so the card offers no Approve or Deny, nor Cancel (Graph cancels only a request that is accepted,
// pendingApproval, pendingNotBefore or pendingApprovalEscalated:
// https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-cancel), and says when it ended.
// An approval whose moment is still ahead is sent as it always was.

import { strict as assert } from 'node:assert';
import { eventCard, itemCard } from '../../src/bot/replyCards';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';

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
const actionsOf = (reply: { attachment: { content?: unknown } }): unknown[] =>
  (reply.attachment.content as { actions?: unknown[] }).actions ?? [];
/** The card as it was before the moment mattered. */
const unchanged = (e: NotificationEvent) =>
  itemCard(e.item, { ...(e.title ? { title: e.title } : {}), text: e.text, facts: e.facts, settled: false });

describe('eventCard: an access package approval whose moment has passed', () => {
  for (const [kind, next] of [
    ['accessApproval', /nothing left to approve or deny/],
    ['accessRequest', /A denied request cannot be cancelled/],
  ] as const) {
    it(`${kind}: no buttons, and says the approval ended then and was denied automatically`, () => {
      for (const now of [AT, AT + 1, AT + 90 * 24 * 3600_000]) {
        const card = eventCard(parsed({ kind }, now), now);
        const text = JSON.stringify(card.attachment);
        assert.deepEqual(actionsOf(card), [], `${kind} at ${new Date(now).toISOString()}`);
        assert.match(text, /This approval has ended/);
        // The cards' own form of a date and time (wording.ts stamp).
        assert.match(
          text,
          /it ended at 2026-03-18 08:30 UTC, and Microsoft Entra denied the request automatically then/,
        );
        assert.match(text, next);
        assert.match(text, /requested Marketing campaign tools/, 'the event still says what was requested');
        assert.match(text, new RegExp(REQUEST), 'and names the request');
        assert.match(card.summary, /This approval has ended/);
      }
    });
  }

  it('judges the moment at the render, not at the intake: accepted in time, rendered after it', () => {
    const e = parsed({ kind: 'accessApproval' }, AT - 60_000);
    assert.ok(actionsOf(eventCard(e, AT - 1)).length > 0, 'before its moment it has its buttons');
    assert.deepEqual(actionsOf(eventCard(e, AT)), [], 'at its moment it has none');
  });

  it('an approval for its own requester whose moment passed says it ended, not how to withdraw it', () => {
    const card = eventCard(parsed({ kind: 'accessApproval', principalId: PATTI }, AT), AT);
    const text = JSON.stringify(card.attachment);
    assert.deepEqual(actionsOf(card), []);
    assert.match(text, /This approval has ended/);
    assert.doesNotMatch(text, /cancel access-request/);
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
