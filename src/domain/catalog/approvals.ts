// Catalog entries for deciding approvals as the approver: PIM for Entra roles (beta only), PIM for
// Groups and access packages (v1.0). Facts from reference/graph-reference.md §6.7, §7, §8, §9:
// the approval has the request's id; the stage (beta: step) to decide is the one the signed-in
// user is assigned to and that is InProgress, found by reading the approval, never typed.
// PATCH body {reviewResult: Approve|Deny, justification} → 204; 409 when another approver of
// the same stage decided first.
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta

import { APPROVAL_STATES, approvalViewOf } from './approvalView';
import type { CancelOrResumeName } from './cancelAndResume';
import { CatalogEntry, CommandWords, DecisionSpec, TargetOf } from './types';

export const APPROVAL_OPERATION_NAMES = [
  'decideRoleApproval',
  'decideGroupApproval',
  'decideAccessPackageApproval',
] as const;
export type ApprovalOperationName = (typeof APPROVAL_OPERATION_NAMES)[number];

/**
 * Longest justification the bot sends. No Graph page states a limit for approvalStage
 * justification; 500 characters is what the Entra admin center accepts (⚠️ unconfirmed).
 */
export const JUSTIFICATION_MAX_LENGTH = 500;

/** Approve (justification optional) and deny (justification required), with their commands; the
 * deny's help example names another demo request (`denyExample`) than the approve's. A card's
 * Approve of a PIM request (`approveOnCard: 'asksWhy'`) asks for the approver's reason and is not
 * sent without one: PIM's default policy requires it, its Approval_EndUser_Assignment rule's stage
 * has "isApproverJustificationRequired": true
 * (https://learn.microsoft.com/en-us/graph/api/unifiedrolemanagementpolicy-list-rules?view=graph-rest-1.0),
 * and the reason must be the approver's own words, so the bot sends no default one. */
function approveOrDeny(
  kind: string,
  what: string,
  denyExample: string,
  approveOnCard: 'asksWhy' | 'plain',
): readonly DecisionSpec[] {
  const words = (verb: string): CommandWords['words'] => [verb, kind];
  return [
    {
      name: 'approve',
      command: { words: words('approve'), description: `Approve ${what} that waits for you` },
      button: 'Approve',
      doneWord: 'Approved',
      provenBy: ['Approved'],
      justification: {
        required: false,
        ...(approveOnCard === 'asksWhy' ? { requiredOnCard: true as const } : {}),
        maxLength: JUSTIFICATION_MAX_LENGTH,
      },
      mayLeaveOpen: true,
    },
    {
      name: 'deny',
      command: {
        words: words('deny'),
        description: `Deny ${what} that waits for you, saying why`,
        demoExample: { requestId: denyExample },
      },
      button: 'Deny',
      doneWord: 'Denied',
      provenBy: ['Denied'],
      justification: { required: true, maxLength: JUSTIFICATION_MAX_LENGTH },
    },
  ];
}

/** The decision Graph is sent, with the target's justification as it is: cleaned where it was
 * typed or entered (bot/justification.ts justificationFrom, the one place that cleans it). */
const body = (t: TargetOf<string>): unknown => ({
  reviewResult: t.decision === 'deny' ? 'Deny' : 'Approve',
  ...(t.justification ? { justification: t.justification } : {}),
});

/** Said to the approver of another stage while the card keeps its buttons for that stage's
 * approvers; never on a card whose approval has ended (cardEnded.ts), which offers no decision. */
export const STILL_DECIDED = 'Its approvers can still decide it.';

/** Said to a reader whose approval read shows no stage of theirs, or whom Graph refuses that read. */
export const NOT_AN_APPROVER = 'You are not an approver of this request’s current stage.';

/** The approval read: one state for its reader, who decided and when, and the stage to act on. */
const read = (version: 'v1.0' | 'beta', path: string, permission: string) =>
  ({
    version,
    path,
    stateField: 'state',
    permission,
    decidedAtField: 'decidedAt',
    decidedByField: 'decidedBy',
    view: (item: Readonly<Record<string, unknown>>) => ({
      ...approvalViewOf(item, version === 'beta' ? 'steps' : 'stages'),
    }),
    claimScopeField: 'stageId',
    decidedBeforeField: 'decidedBefore',
    approvedBeforeField: 'approvedBefore',
    openWhile: 'laterStage',
    notForReader: {
      [APPROVAL_STATES.notMine]: `${NOT_AN_APPROVER} ${STILL_DECIDED}`,
      [APPROVAL_STATES.later]: 'Your stage of this request has not started yet: an earlier stage comes first.',
    },
  }) as const;

const APPROVER = 'an approver of the request’s current stage (named by its policy; no admin role needed)';
// "Approvers aren't able to approve their own role activation requests": an approver named in the
// step who asked for the role is refused all the same, and Graph's answer does not say so apart
// from any other 403 (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
const ROLE_APPROVER = `${APPROVER}, other than the one who asked for the role: PIM refuses approvers their own request`;
// "Approvers aren't able to approve their own access package requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
const ACCESS_APPROVER = `${APPROVER}, other than the one who asked for it: approvers cannot approve their own access package request`;
const OPEN = ['InProgress'];
/** The PIM request actions whose approval Graph does not support (pim-approval-workflow). */
const PIM_EXTEND_AND_RENEW = ['selfExtend', 'selfRenew', 'adminExtend', 'adminRenew'] as const;
/** The admin center's approval blade (pim-approval-workflow; groups-approval-workflow adds "Groups"). */
const APPROVE_REQUESTS = 'Identity governance > Privileged Identity Management > Approve requests';
const FINISHED = ['Approved', 'Denied', 'Expired'];

export const APPROVAL_ENTRIES = {
  decideRoleApproval: {
    name: 'decideRoleApproval',
    seed: 'graph-reference §6.7, §7 (approvalStep: update, beta)',
    title: 'Decide a PIM role request',
    noun: 'role request approval',
    idNames: ['requestId'],
    // Beta only: there is no v1.0 roleAssignmentApprovals path (graph-reference §7).
    version: 'beta',
    method: 'PATCH',
    path: '/roleManagement/directory/roleAssignmentApprovals/{requestId}/steps/{stageId}',
    body,
    successStatus: 204,
    // Delegated only; the approver needs no directory role (graph-reference §8).
    permission: { least: 'RoleAssignmentSchedule.ReadWrite.Directory', higher: [] },
    role: ROLE_APPROVER,
    // The beta approval's read and step update list all four clouds in their national cloud tables
    // (https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-beta,
    // https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta): beta
    // is withheld only where a page says so (the beta access package cancel, graph-reference §9).
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: read(
      'beta',
      '/roleManagement/directory/roleAssignmentApprovals/{requestId}',
      'RoleAssignmentSchedule.ReadWrite.Directory',
    ),
    allowedStates: OPEN,
    doneStates: FINISHED,
    decisions: approveOrDeny('role-request', 'a PIM role request', 'roleDenyApprovalId', 'asksWhy'),
    withdrawnBy: 'cancelRoleRequest' satisfies CancelOrResumeName,
    notificationKind: 'roleApproval',
    idFromRead: 'stageId',
    // "Approval for extend and renew requests is currently not supported by the Microsoft Graph
    // API" (pim-approval-workflow): the request's `action` tells them apart (graph-reference §6.4).
    undecidable: {
      version: 'v1.0',
      path: "/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')",
      idName: 'requestId',
      field: 'action',
      values: PIM_EXTEND_AND_RENEW,
      // Users "request to extend eligible or active (assigned) roles" and administrators approve
      // it (pim-how-to-renew-extend); an eligibility request carries `approvalId` and the same
      // actions (unifiedroleeligibilityschedulerequest). Its approver filter's least permission is
      // ReadWrite, as its page says (unifiedroleeligibilityschedulerequest-filterbycurrentuser).
      eligibility: {
        path: "/roleManagement/directory/roleEligibilityScheduleRequests/filterByCurrentUser(on='approver')",
        permission: 'RoleEligibilitySchedule.ReadWrite.Directory',
        // Higher, the page names RoleManagement.ReadWrite.Directory alone: no Read permission.
        higher: ['RoleManagement.ReadWrite.Directory'],
        // Unlike the assignment requests, the eligibility request's `id` row lists no $filter
        // (status, principalId, roleDefinitionId and the scope ids do), and PIM refuses a filter its
        // type does not list with 400 InvalidFilter: the approver's waiting requests are read page
        // by page (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleeligibilityschedulerequest?view=graph-rest-1.0).
        idFilter: false,
      },
      // "Approvers aren't able to approve their own role activation requests" (pim-approval-workflow).
      requesterFields: ['principalId', 'createdBy.user.id'],
      // The role and who asked, for the answer: "This method supports the $select, $filter, and
      // $expand OData query parameters" (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0),
      // as "my approvals" reads them (graph/myWorkSources.ts).
      expand: ['roleDefinition', 'principal'],
      assignment: 'a role assignment',
      short: 'role',
      decideAt: APPROVE_REQUESTS,
    },
    demoExample: { requestId: 'roleApprovalId' },
  },
  decideGroupApproval: {
    name: 'decideGroupApproval',
    seed: 'graph-reference §6.7, §7 (approvalStage: update, PIM for Groups)',
    title: 'Decide a PIM for Groups request',
    noun: 'group request approval',
    idNames: ['requestId'],
    version: 'v1.0',
    method: 'PATCH',
    path: '/identityGovernance/privilegedAccess/group/assignmentApprovals/{requestId}/stages/{stageId}',
    body,
    successStatus: 204,
    permission: { least: 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup', higher: [] },
    role: APPROVER,
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: read(
      'v1.0',
      '/identityGovernance/privilegedAccess/group/assignmentApprovals/{requestId}',
      'PrivilegedAssignmentSchedule.Read.AzureADGroup',
    ),
    allowedStates: OPEN,
    doneStates: FINISHED,
    decisions: approveOrDeny('group-request', 'a PIM for Groups request', 'groupDenyApprovalId', 'asksWhy'),
    withdrawnBy: 'cancelGroupRequest' satisfies CancelOrResumeName,
    notificationKind: 'groupApproval',
    idFromRead: 'stageId',
    // The same limit as for roles, inferred (⚠️ README, unconfirmed facts): no page says whether
    // Graph decides a PIM for Groups extension or renewal, but approving a renewal the administrator
    // "must enter a new start date, end date, and assignment type" (an extension "can choose" them)
    // (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend),
    // which the stage's decision ({reviewResult, justification}, approvalstage-update) cannot carry.
    // The request's `action` tells it, through the approver's own filter (graph-reference §6.5, §7).
    undecidable: {
      version: 'v1.0',
      path: "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/filterByCurrentUser(on='approver')",
      idName: 'requestId',
      field: 'action',
      values: PIM_EXTEND_AND_RENEW,
      // "Users or groups can request to extend eligible and active assignments" (groups-renew-extend;
      // privilegedaccessgroupeligibilityschedulerequest: "extend, and renew ... eligibility"), and
      // their approver filter takes on='approver'
      // (privilegedaccessgroupeligibilityschedulerequest-filterbycurrentuser). Its permissions, as
      // that page's table says: PrivilegedEligibilitySchedule.Read.AzureADGroup least privileged,
      // its ReadWrite higher.
      eligibility: {
        path: "/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests/filterByCurrentUser(on='approver')",
        permission: 'PrivilegedEligibilitySchedule.Read.AzureADGroup',
        higher: ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'],
      },
      // No requesterFields: the groups approval page does not say whether an approver may decide
      // their own request (groups-approval-workflow).
      // The group and who asked, for the answer, as "my approvals" reads them (the `group` and
      // `principal` relationships: https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0).
      expand: ['group', 'principal'],
      assignment: 'a group membership or ownership',
      short: 'group',
      // groups-approval-workflow: "Approve requests > Groups".
      decideAt: `${APPROVE_REQUESTS} > Groups`,
    },
    demoExample: { requestId: 'groupApprovalId' },
  },
  decideAccessPackageApproval: {
    name: 'decideAccessPackageApproval',
    seed: 'graph-reference §6.7, §7 (approvalStage: update, entitlement management)',
    title: 'Decide an access package request',
    noun: 'access package request approval',
    idNames: ['requestId'],
    version: 'v1.0',
    method: 'PATCH',
    path: '/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/{requestId}/stages/{stageId}',
    body,
    successStatus: 204,
    // Delegated only, admin consent (graph-reference §7, §8).
    permission: { least: 'EntitlementManagement.ReadWrite.All', higher: [] },
    role: ACCESS_APPROVER,
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: read(
      'v1.0',
      '/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/{requestId}',
      'EntitlementManagement.Read.All',
    ),
    allowedStates: OPEN,
    doneStates: FINISHED,
    decisions: approveOrDeny('access-request', 'an access package request', 'accessDenyApprovalId', 'plain'),
    withdrawnBy: 'cancelAccessPackageRequest' satisfies CancelOrResumeName,
    notificationKind: 'accessApproval',
    idFromRead: 'stageId',
    // The approval tells nothing of who asked (its stages only: graph-reference §6.7); the request
    // does, through the approver's own filter, whose least permission is EntitlementManagement.Read.All
    // (the approval read's own), ReadWrite.All higher, and no admin role: "approver is used to get
    // the accessPackageAssignmentRequest objects where the signed-in user is an allowed approver"
    // (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0).
    requesterRead: {
      version: 'v1.0',
      path: "/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='approver')",
      idName: 'requestId',
      // The resource page lists no $filter on id (entitlement management answers 400 InvalidFilter):
      // the approver's waiting requests are read page by page
      // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0).
      idFilter: false,
      // Who asked is the requestor, a navigation property (accessPackageSubject.objectId); the
      // access package names what the answer decided, as "my approvals" reads it.
      expand: ['accessPackage', 'requestor'],
      requesterFields: ['requestor.objectId'],
    },
    demoExample: { requestId: 'accessApprovalId' },
  },
} as const satisfies { readonly [N in ApprovalOperationName]: CatalogEntry<N> };
