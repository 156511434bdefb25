// A notification is rendered at its send, not at its intake: an access package approval accepted
// while its approvalExpiresDateTime was ahead and sent after it (a retry after Teams' Retry-After)
// had its approval time end in between: a stage still pending then was denied automatically ("If a
// request isn't approved within this time period, it's automatically denied.",
// https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy),
// and one decided before is over too, so the card that reaches Teams has no Approve or Deny. One
// sent before its moment keeps them.
// Teams' throttling guidance: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import { eventCard } from '../../src/bot/replyCards';
import { OutboundCard, SendCard } from '../../src/notifications/delivery';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { USER, deliverySession, eventually, teamsError } from '../fixtures/deliverySession';
import { buttonsOf } from '../fixtures/cardButtons';

const REQUEST = '7999249e-249e-7999-9e24-99799e249979';

function approvalEndingAt(eventId: string, at: number, now: number): NotificationEvent {
  const parsed = parseEvent(
    {
      eventId,
      kind: 'accessApproval',
      target: { userId: USER },
      requestId: REQUEST,
      accessPackageName: 'Marketing campaign tools',
      approvalExpiresDateTime: new Date(at).toISOString(),
    },
    now,
  );
  assert.ok(parsed.ok && !parsed.notices, 'accepted in time, with no notice');
  return parsed.event;
}

const actionsOf = (card: OutboundCard): unknown[] => buttonsOf(card.attachment.content);

describe('notification delivery of an approval whose moment comes before the send', () => {
  const session = deliverySession();

  /** A connector that throttles the first send (Retry-After 120 s) and records every card offered. */
  function throttledOnce() {
    const offered: OutboundCard[] = [];
    const send: SendCard = async (_reference, card) => {
      offered.push(card);
      if (offered.length === 1) throw teamsError(429, '120');
      return `activity-${offered.length}`;
    };
    return { send, offered };
  }

  it('accepted a minute before its moment, retried after it: the delivered card has no Approve or Deny', async () => {
    const { send, offered } = throttledOnce();
    const i = await session.instance(send, { render: eventCard });
    const now = Date.now() + session.offset;
    await i.store.accept(approvalEndingAt('ap-late', now + 60_000, now));
    i.worker.start();
    await eventually(() => offered.length === 1, 'the throttled attempt');
    assert.ok(actionsOf(offered[0]!).length > 0, 'the first attempt, before the moment, offered the buttons');
    session.offset += 120_000;
    i.worker.kick();
    await eventually(async () => (await i.store.get('ap-late'))?.state === 'delivered', 'the delivery');
    const delivered = offered[offered.length - 1]!;
    assert.deepEqual(actionsOf(delivered), [], 'the card posted after its moment');
    assert.match(JSON.stringify(delivered.attachment), /The approval time has ended/);
    assert.match(
      JSON.stringify(delivered.attachment),
      /if no one decided by then, Microsoft Entra denied it automatically/,
    );
  });

  it('sent before its moment: the delivered card keeps Approve and Deny', async () => {
    const { send, offered } = throttledOnce();
    const i = await session.instance(send, { render: eventCard });
    const now = Date.now() + session.offset;
    await i.store.accept(approvalEndingAt('ap-in-time', now + 3_600_000, now));
    i.worker.start();
    await eventually(() => offered.length === 1, 'the throttled attempt');
    session.offset += 120_000;
    i.worker.kick();
    await eventually(async () => (await i.store.get('ap-in-time'))?.state === 'delivered', 'the delivery');
    assert.deepEqual(
      actionsOf(offered[offered.length - 1]!).map((a) => (a as { title?: string }).title),
      ['Approve', 'Deny'],
    );
  });
});
