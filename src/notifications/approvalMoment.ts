// The moment an event's approval ends, from which its card offers no decision (the bot's event card,
// timedCard.ts, endedAlert.ts). An access package event states it (approvalExpiresDateTime). A PIM
// approval lapses 24 hours after its request was made: "Delegated approvers have 24 hours to approve
// requests ... The 24 hour approval time window isn't configurable"
// (https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow,
// https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-approval-workflow),
// so a PIM event that says when its request was made (createdDateTime) has one; without it, none.
// An extension or renewal, which only an admin center decides, keeps its own card: the window is
// stated for the approvers' requests to activate, not for those.

import { PIM_APPROVAL_LIFETIME_MS } from '../alerts/reminders';
import { graphCannotDecide } from '../domain/operations';
import type { NotificationEvent } from './events';

export type MomentFields = Pick<NotificationEvent, 'item'> &
  Partial<Pick<NotificationEvent, 'approvalExpiresAt' | 'requestCreatedAt' | 'requestAction'>>;

/** The approval's moment (epoch ms), or undefined when the event gives none. Only PIM events carry
 * requestCreatedAt and only access package events approvalExpiresAt (eventFields.ts). */
export function approvalMomentOf(event: MomentFields): number | undefined {
  if (event.approvalExpiresAt !== undefined) return event.approvalExpiresAt;
  const created = event.requestCreatedAt;
  if (created === undefined) return undefined;
  const action = event.requestAction;
  if (action !== undefined && graphCannotDecide(event.item.operation, action)) return undefined;
  return created + PIM_APPROVAL_LIFETIME_MS;
}
