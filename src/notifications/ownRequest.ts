// An approval addressed to the person who asked for it, of a kind whose requester may not decide
// it: "Approvers aren't able to approve their own role activation requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow),
// "... their own access package requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// Decided here only, for the card's words (events.ts) and for its buttons (the bot's event card).

import { Target, requesterMayNotDecide } from '../domain/operations';
import type { NotificationTarget } from './events';

/** True when the event goes to one person's chat, that person is its requester (`principalId`),
 * and the catalog says such a requester may not decide it. A channel's or a category's card is
 * never: its readers include other approvers. */
export function toBarredRequester(event: {
  readonly item: Pick<Target, 'operation'>;
  readonly target?: NotificationTarget | null;
  readonly requesterId?: string | undefined;
}): boolean {
  const to = event.target;
  const own = !!to && 'userId' in to && event.requesterId === to.userId;
  return own && requesterMayNotDecide(event.item.operation);
}
