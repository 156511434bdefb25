// `requestAction` of a roleApproval or groupApproval event: the PIM request's `action`, which
// tells an extension or a renewal (Microsoft Graph cannot approve those: "Approval for extend and
// renew requests is currently not supported by the Microsoft Graph API",
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow;
// for PIM for Groups the same limit is inferred, see the catalog's decideGroupApproval) from the
// requests it can decide. Optional: an event without it is delivered as before. The kinds that
// take it are the catalog's (KINDS_WITH_UNDECIDABLE), so a new one needs no change here.

import { KINDS_WITH_UNDECIDABLE } from '../domain/operations';

/** unifiedRoleAssignmentScheduleRequest's `action` values
 * (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0),
 * without the evolvable enum's sentinel unknownFutureValue, which no request carries. A PIM for
 * Groups request takes the same: its page lists the first seven, yet a member or owner may ask to
 * extend or renew their own assignment
 * (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend). */
const REQUEST_ACTIONS = [
  'adminAssign',
  'adminUpdate',
  'adminRemove',
  'selfActivate',
  'selfDeactivate',
  'adminExtend',
  'adminRenew',
  'selfExtend',
  'selfRenew',
] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/**
 * The event's `requestAction` as Graph spells it, compared without regard to case (Microsoft's own
 * request examples write "SelfActivate"); undefined when absent or null. Each problem goes to
 * `problem`: another kind than roleApproval or groupApproval (only their cards offer a decision
 * Graph may not take), a value not in the list, or not a string.
 */
export function statedRequestAction(
  body: Readonly<Record<string, unknown>>,
  kind: unknown,
  problem: (text: string) => void,
): RequestAction | undefined {
  const v = body.requestAction;
  if (v === undefined || v === null) return undefined;
  if (!KINDS_WITH_UNDECIDABLE.some((k) => k === kind)) {
    problem(
      `requestAction is for ${KINDS_WITH_UNDECIDABLE.join(' and ')} events only: it tells a PIM extension or ` +
        'renewal, which Microsoft Graph cannot approve, from the requests it can.',
    );
    return undefined;
  }
  const known = typeof v === 'string' ? REQUEST_ACTIONS.find((a) => a.toLowerCase() === v.toLowerCase()) : undefined;
  if (known === undefined)
    problem(`requestAction must be one of ${REQUEST_ACTIONS.join(', ')} (the PIM request's action, in any case).`);
  return known;
}
