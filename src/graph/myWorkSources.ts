// The Graph reads behind "my approvals" and "my requests" (graph-reference §7): which collection
// each list reads, and with which filter. A source is one read; its id names it in the JSON batch
// and in the list's continuations ("role", or "access.scheduled" when a kind takes several reads).
//
// my approvals: filterByCurrentUser(on='approver') on each request collection (the requests carry
//   requester, justification and duration; the approval's id is the request's id, §6.7).
// my requests: PIM role and group filterByCurrentUser(on='principal'), access packages
//   filterByCurrentUser(on='target'), one read per state in which the request can still be
//   cancelled. The filters Graph documents on these properties are `eq` (state: "Supports $filter
//   (eq)"; PIM status: eq, ne); neither `or` nor `in` is documented for them, so each state is its
//   own `eq` read in the same batch.
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0

import { ListName, WORK_KINDS, WorkKind, eligibilityReadId } from '../domain/myWork';
import { CATALOG } from '../domain/operations';
import { PermissionSet, holds } from '../domain/rights';

/** One read of a list. */
export interface Source {
  readonly id: string;
  readonly kind: WorkKind;
  /** Relative to the version root. */
  readonly url: string;
  /** A permission the read needs beyond the list's own: read only when the token holds it. */
  readonly needs?: PermissionSet;
}

/**
 * The access package request states that cancel accepts. The cancel page names them as `status`
 * values (accepted, pendingApproval, pendingNotBefore, pendingApprovalEscalated), which `state`
 * reads as submitted, pendingApproval and scheduled (graph-reference §4, §6.6):
 * https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0
 */
export const ACCESS_CANCELLABLE_STATES: readonly string[] = ['submitted', 'pendingApproval', 'scheduled'];

/**
 * The PIM request statuses a requester may cancel: `Granted`, the one the v1.0 cancel page names
 * (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0),
 * and the pending ones the older PIM cancel listed with it (PendingApproval,
 * PendingApprovalProvisioning, PendingAdminDecision: graph-reference §2). The PIM for Groups cancel
 * page ("Cancel a pending request") names none
 * (https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-cancel?view=graph-rest-1.0):
 * the same list. A request Graph then refuses to cancel gets the card that names its state.
 */
export const PIM_CANCELLABLE_STATUSES: readonly string[] = [
  'Granted',
  'PendingApproval',
  'PendingApprovalProvisioning',
  'PendingAdminDecision',
];

const ROLE = '/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP = '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const ACCESS = '/identityGovernance/entitlementManagement/assignmentRequests';
const q = (s: string): string => encodeURIComponent(s);

/**
 * The properties a row of "my requests" shows (myWorkRows.ts), for a read whose page lists `$select`:
 * the PIM role filter's ("This method supports the $select, $filter, and $expand OData query
 * parameters"). The PIM for Groups and access package filters' pages list no query parameters, so
 * their reads ask for everything, as before.
 * https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
 */
export const ROLE_REQUEST_SELECT = 'id,createdDateTime,principalId,createdBy,justification,scheduleInfo,action';

const pim = (kind: WorkKind, base: string, expand: string, select?: string): Source[] =>
  PIM_CANCELLABLE_STATUSES.map((s) => ({
    id: `${kind}.${s}`,
    kind,
    url:
      `${base}/filterByCurrentUser(on='principal')?$filter=${q(`status eq '${s}'`)}` +
      `${select ? `&$select=${select}` : ''}&$expand=${expand}`,
  }));

export const SOURCES: Readonly<Record<ListName, readonly Source[]>> = {
  approvals: [
    // The principal names who asked: createdBy.user comes with "displayName": null in Microsoft's
    // examples (pim-approval-workflow; unifiedroleassignmentschedulerequest-filterbycurrentuser).
    {
      id: 'role',
      kind: 'role',
      url: `${ROLE}/filterByCurrentUser(on='approver')?$filter=${q("status eq 'PendingApproval'")}&$expand=roleDefinition,principal`,
    },
    {
      id: 'group',
      kind: 'group',
      url: `${GROUP}/filterByCurrentUser(on='approver')?$filter=${q("status eq 'PendingApproval'")}&$expand=group,principal`,
    },
    {
      id: 'access',
      kind: 'access',
      url: `${ACCESS}/filterByCurrentUser(on='approver')?$expand=accessPackage,requestor`,
    },
    // An eligible assignment extended or renewed waits as an eligibility schedule request, with
    // the same approver filter and actions (catalog `undecidable.eligibility`); Graph cannot decide
    // it, so its row has no buttons. ⚠️ No page shows such a request's status while it waits: the
    // assignment requests' PendingApproval is assumed.
    ...eligibility('role', CATALOG.decideRoleApproval.undecidable?.eligibility, 'roleDefinition,principal'),
    ...eligibility('group', CATALOG.decideGroupApproval.undecidable?.eligibility, 'group,principal'),
  ],
  requests: [
    ...pim('role', ROLE, 'roleDefinition', ROLE_REQUEST_SELECT),
    ...pim('group', GROUP, 'group'),
    ...ACCESS_CANCELLABLE_STATES.map((s) => ({
      id: `access.${s}`,
      kind: 'access' as const,
      url: `${ACCESS}/filterByCurrentUser(on='target')?$filter=${q(`state eq '${s}'`)}&$expand=accessPackage,requestor`,
    })),
  ],
};

function eligibility(
  kind: WorkKind,
  e: { readonly path: string; readonly permission: string; readonly higher: readonly string[] } | undefined,
  expand: string,
): Source[] {
  if (!e) return [];
  const filter = q("status eq 'PendingApproval'");
  return [
    {
      id: eligibilityReadId(kind),
      kind,
      url: `${e.path}?$filter=${filter}&$expand=${expand}`,
      needs: { least: e.permission, higher: e.higher },
    },
  ];
}

/**
 * The reads of a list for a token with these scopes. A read that needs more than the list's own
 * permissions goes only when the token shows it (null: the scopes could not be read): refused, it
 * would name as unlisted a kind whose other reads worked.
 */
export function sourcesFor(list: ListName, scopes: readonly string[] | null): readonly Source[] {
  return SOURCES[list].filter((s) => !s.needs || (scopes !== null && holds(scopes, s.needs)));
}

/** The kind a source id (or a continuation kept before sources had states) reads; null if none. */
export function kindOf(sourceId: string): WorkKind | null {
  const kind = sourceId.split('.')[0];
  return WORK_KINDS.find((k) => k === kind) ?? null;
}
