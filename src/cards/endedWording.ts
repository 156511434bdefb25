// Words for an access package event whose stated moment of automatic denial (approvalExpiresDateTime)
// has passed. Only a stage still pending then is denied: durationBeforeAutomaticDenial is "the number
// of days that a request can be pending a response before it is automatically denied"
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage). Another approver may
// have decided it before, or a later stage run now, and the bot does not know which, so it says what
// happened only on that condition. An approver's card is left with nothing to decide either way. The
// requester's card keeps Cancel: a request approved with a later start date is pendingNotBefore, which
// Graph still cancels (https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-cancel),
// and a click reads the request from Graph before it acts. An approval's card sent to its own
// requester has no buttons ("Approvers aren't able to approve ... their own access package
// requests", entitlement-management-access-package-approval-policy) and the requester's words: no
// stage ever waits for them, and "my requests" lists the request while it can still be cancelled.

import { CATALOG, OperationName } from '../domain/operations';
import type { Words } from './refusalWording';
import { stampNotBefore } from './wording';

/** What the card's buttons were: see approvalEnded. */
export type Offered = 'decision' | 'cancel' | 'ownRequest' | 'none';

/** `endedAt`: the moment the event stated (epoch ms); `offered`: what the card's buttons were, a
 * decision on the approval (Approve, Deny, no longer offered), the request's Cancel (kept),
 * `ownRequest`: no buttons, an approval sent to its own requester, or `none`: a card that never
 * carried buttons (a channel's reminder), which must not say a decision is "no longer offered". */
export function approvalEnded(endedAt: number, offered: Offered): Words {
  const at = stampNotBefore(new Date(endedAt));
  if (offered === 'ownRequest') {
    return {
      title: 'The approval time has ended',
      what: `Your request's approval time ended at ${at}; if no one decided it by then, Microsoft Entra denied it automatically.`,
      next: 'If it was approved with a later start date, it can still be cancelled: send "my requests", which lists it while it can. If it was denied and the access is still needed, request the access package again.',
    };
  }
  const later =
    'If a later stage waits for you, my approvals lists it. If the request was denied and the access is still needed, the requester has to request the access package again.';
  return {
    title: 'The approval time has ended',
    what: `Its approval time ended at ${at}; if no one decided by then, Microsoft Entra denied it automatically.`,
    next:
      offered === 'cancel'
        ? 'If it was approved with a later start date, it can still be cancelled: Cancel first reads where the request stands. If it was denied and the access is still needed, request the access package again.'
        : offered === 'none'
          ? later
          : `Approve and Deny are no longer offered here: the approval this card was sent for is over, decided or denied. ${later}`,
  };
}

/** A PIM role or group approval past its moment, 24 hours after the request: "Delegated approvers
 * have 24 hours to approve requests ... The 24 hour approval time window isn't configurable."
 * (https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow,
 * and for PIM for Groups groups-approval-workflow). As for access packages, said on its condition:
 * someone may have decided it in time. The requester's card keeps Cancel: Graph cancels a request
 * "that is in a Granted status" (https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-cancel),
 * as one approved in time for a later start still is, and a click reads the request first; one that
 * expired is not cancellable and the click says where it stands. */
export function pimApprovalEnded(endedAt: number, offered: Offered = 'decision'): Words {
  const at = stampNotBefore(new Date(endedAt));
  if (offered === 'ownRequest') {
    return {
      title: 'The approval time has ended',
      what: `Your request's approval time ended at ${at}, 24 hours after you made it; if no one decided it by then, it expired.`,
      next: 'If it was approved in time for a later start, it can still be cancelled: send "my requests", which lists it while it can. If it expired and the access is still needed, request it again.',
    };
  }
  return {
    title: 'The approval time has ended',
    what: `Its approval time ended at ${at}; if no one decided by then, the request expired.`,
    next:
      offered === 'cancel'
        ? 'If it was approved in time for a later start, it can still be cancelled: Cancel first reads where the request stands. If it expired and the access is still needed, request it again.'
        : `${offered === 'none' ? '' : 'There is nothing left to approve or deny here. '}If the access is still needed, the requester has to request it again.`,
  };
}

/** The kinds whose approval is PIM's 24-hour window; the others state their moment (access packages). */
const PIM_KINDS: ReadonlySet<string> = new Set(['roleRequest', 'roleApproval', 'groupRequest', 'groupApproval']);

/** The ended words for a card about `operation`: PIM's or an access package's. */
export function endedWordsFor(operation: OperationName, endedAt: number, offered: Offered): Words {
  const kind = CATALOG[operation].notificationKind;
  return kind !== null && PIM_KINDS.has(kind) ? pimApprovalEnded(endedAt, offered) : approvalEnded(endedAt, offered);
}
