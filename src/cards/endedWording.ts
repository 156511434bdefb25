// Words for an access package approval whose moment of automatic denial (the event's
// approvalExpiresDateTime) has passed: "If a request isn't approved within this time period, it's
// automatically denied. The user has to submit another request for the access package."
// (https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy).
// Nothing is left to decide then, nor to cancel: Graph cancels only a request that is accepted,
// pendingApproval, pendingNotBefore or pendingApprovalEscalated
// (https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-cancel), never a denied one.

import type { Words } from './refusalWording';
import { stamp } from './wording';

/** `endedAt`: the moment the event stated (epoch ms); `offered`: what the card's buttons were, a
 * decision on the approval (Approve, Deny) or the request's Cancel. */
export function approvalEnded(endedAt: number, offered: 'decision' | 'cancel'): Words {
  return {
    title: 'This approval has ended',
    what: `It was not decided in time: it ended at ${stamp(new Date(endedAt))}, and Microsoft Entra denied the request automatically then.`,
    next:
      offered === 'cancel'
        ? 'A denied request cannot be cancelled, so there is nothing left to do here. If the access is still needed, request the access package again.'
        : 'There is nothing left to approve or deny. If the access is still needed, the requester has to request the access package again.',
  };
}
