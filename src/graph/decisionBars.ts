// What bars a decision before it is sent, told by the request itself as the approver's own filter
// returns it (catalog `undecidable`, or `requesterRead`): an approver's own request, where
// Microsoft's docs say they cannot decide it (PIM roles, access packages), and a request Graph
// cannot decide (a PIM extension or renewal).
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow
//   ("Approvers aren't able to approve their own role activation requests." "Approval for extend
//   and renew requests is currently not supported by the Microsoft Graph API")
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy
//   ("Approvers aren't able to approve their own access package requests.")

import { AdminCenterOnlyError, GraphEvidence, OwnRequestError } from '../domain/errors';
import { CATALOG, DecisionReadSpec, OperationName, graphCannotDecide } from '../domain/operations';

/** The value at a dotted path of a JSON object ("createdBy.user.id"), when it is a string. */
function at(item: Readonly<Record<string, unknown>>, path: string): string | null {
  let v: unknown = item;
  for (const key of path.split('.')) {
    v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
  }
  return typeof v === 'string' ? v : null;
}

/** Who asked for the request, by the read's requester fields (PIM: `principalId` and
 * `createdBy.user.id`; access packages: `requestor.objectId`): the one rule `my approvals` and a
 * decision both judge one's own request by. */
export function askersOf(read: DecisionReadSpec | undefined, item: Readonly<Record<string, unknown>>): string[] {
  return (read?.requesterFields ?? []).flatMap((f) => at(item, f) ?? []);
}

/** Whether the signed-in user (`callerId`) is the one who asked, by the read's requester fields. */
function askedBy(read: DecisionReadSpec, item: Readonly<Record<string, unknown>>, callerId: string | null): boolean {
  if (!callerId) return false;
  const me = callerId.toLowerCase();
  return askersOf(read, item).some((id) => id.toLowerCase() === me);
}

/** Throws when the request bars this decision; returns when it may be sent. */
export function refuseBarred(
  operation: OperationName,
  read: DecisionReadSpec,
  item: Readonly<Record<string, unknown>>,
  callerId: string | null,
  graph: GraphEvidence,
): void {
  // One's own request first: no blade lets its requester decide it either.
  if (askedBy(read, item, callerId)) throw new OwnRequestError(graph);
  const field = CATALOG[operation].undecidable?.field;
  const told = field === undefined ? undefined : item[field];
  if (typeof told === 'string' && graphCannotDecide(operation, told)) {
    const status = typeof item.status === 'string' ? item.status : 'PendingApproval';
    throw new AdminCenterOnlyError(told, status, graph);
  }
}
