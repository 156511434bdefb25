// The first five catalog entries: cancelling a Lifecycle Workflows run, a PIM role request, a PIM for
// Groups request and an access package request, and resuming a custom task extension (seeds
// 000-004). How an entry is read and used: ../operations.ts.

import { CatalogEntry, DecisionSpec } from './types';

export const CANCEL_AND_RESUME_NAMES = [
  'cancelWorkflowRun',
  'cancelRoleRequest',
  'cancelGroupRequest',
  'cancelAccessPackageRequest',
  'resumeTask',
] as const;
export type CancelOrResumeName = (typeof CANCEL_AND_RESUME_NAMES)[number];

// Reading runs and task processing results (graph-reference §8).
const LCW_READ_HIGHER = ['LifecycleWorkflows.Read.All', 'LifecycleWorkflows.ReadWrite.All'];
const LCW_READ_ROLE = 'Global Reader or Lifecycle Workflows Administrator';

// Entitlement management's catalog roles hold on one catalog, never tenant-wide.
const ON_ITS_CATALOG = 'on the catalog of the access package';
const EM_CATALOG_ROLES =
  "Of these roles, all but Identity Governance Administrator are catalog roles: each is held on one catalog and counts only for that catalog's access packages, so the same role on another catalog does not help; a Catalog owner of the request's catalog or an Identity Governance Administrator assigns them in that catalog's Roles and administrators.";

const PIM_CANCELLABLE = ['Granted', 'PendingApproval', 'PendingApprovalProvisioning', 'PendingAdminDecision'];

/** A cancel: one decision without a name, proven by the canceled state(s). */
function cancelled(provenBy: readonly string[]): readonly DecisionSpec[] {
  return [{ name: null, button: 'Cancel', doneWord: 'Cancelled', provenBy }];
}

export const CANCEL_AND_RESUME_ENTRIES = {
  cancelWorkflowRun: {
    name: 'cancelWorkflowRun',
    seed: '000-lifecycle-workflow-cancel-run',
    title: 'Cancel a Lifecycle Workflows run',
    noun: 'workflow run',
    idNames: ['workflowId', 'runId'],
    version: 'v1.0',
    method: 'POST',
    path: '/identityGovernance/lifecycleWorkflows/workflows/{workflowId}/cancelProcessing',
    body: (t) => ({
      scope: {
        '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope',
        runs: [{ id: t.ids.runId }],
      },
    }),
    successStatus: 204,
    permission: { least: 'LifecycleWorkflows-Workflow.ReadWrite.All', higher: ['LifecycleWorkflows.ReadWrite.All'] },
    role: 'Lifecycle Workflows Administrator',
    clouds: ['global'],
    read: {
      version: 'v1.0',
      path: '/identityGovernance/lifecycleWorkflows/workflows/{workflowId}/runs/{runId}',
      stateField: 'processingStatus',
      permission: 'LifecycleWorkflows-Reports.Read.All',
      higher: LCW_READ_HIGHER,
      role: LCW_READ_ROLE,
      // `canceling` is an evolvable member: without the header Graph says unknownFutureValue.
      includeUnknownEnumMembers: true,
      decidedAtField: 'completedDateTime',
    },
    allowedStates: ['queued', 'inProgress'],
    // graph-reference §6.1: `canceling` is returned only with Prefer: include-unknown-enum-members.
    doneStates: ['canceling', 'canceled'],
    command: { words: ['cancel', 'run'], description: 'Cancel a queued or in-progress Lifecycle Workflows run' },
    decisions: cancelled(['canceling', 'canceled']),
    notificationKind: 'workflowRun',
    demoExample: { workflowId: 'workflowId', runId: 'runId' },
  },
  cancelRoleRequest: {
    name: 'cancelRoleRequest',
    seed: '001-pim-role-assignment-request-cancel',
    title: 'Cancel a PIM role assignment request',
    noun: 'role assignment request',
    idNames: ['requestId'],
    version: 'v1.0',
    method: 'POST',
    path: '/roleManagement/directory/roleAssignmentScheduleRequests/{requestId}/cancel',
    body: () => undefined,
    successStatus: 204,
    permission: { least: 'RoleAssignmentSchedule.ReadWrite.Directory', higher: ['RoleManagement.ReadWrite.Directory'] },
    role: 'Privileged Role Administrator',
    // graph-reference §2: "A principal cancels a role assignment request they created" is a PIM
    // scenario; whether it needs no role is not stated (an unconfirmed fact the tests vary).
    selfService: {
      own: 'your own request',
      others: "someone else's request",
      permission: {
        least: 'RoleAssignmentSchedule.ReadWrite.Directory',
        higher: ['RoleManagement.ReadWrite.Directory'],
      },
      role: null,
      read: {
        version: 'v1.0',
        path: "/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')",
        on: 'principal',
        idName: 'requestId',
        permission: 'RoleAssignmentSchedule.ReadWrite.Directory',
        higher: ['RoleManagement.ReadWrite.Directory'],
        // The page asks a read role of the signed-in user and names no exemption for one's own
        // requests (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0).
        role: 'Global Reader, Security Operator, Security Reader, Security Administrator or Privileged Role Administrator',
      },
    },
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: {
      version: 'v1.0',
      path: '/roleManagement/directory/roleAssignmentScheduleRequests/{requestId}',
      stateField: 'status',
      // graph-reference §7: the documented RoleAssignmentSchedule.Read.Directory is refused at run time.
      permission: 'RoleAssignmentSchedule.ReadWrite.Directory',
      higher: ['RoleManagement.ReadWrite.Directory'],
      role: 'Global Reader, Security Operator, Security Reader, Security Administrator or Privileged Role Administrator',
      decidedAtField: 'completedDateTime',
    },
    allowedStates: PIM_CANCELLABLE,
    doneStates: ['Canceled'],
    command: { words: ['cancel', 'role-request'], description: 'Cancel a PIM Entra role assignment request' },
    decisions: cancelled(['Canceled']),
    notificationKind: 'roleRequest',
    demoExample: { requestId: 'roleRequestId' },
  },
  cancelGroupRequest: {
    name: 'cancelGroupRequest',
    seed: '002-pim-group-assignment-request-cancel',
    title: 'Cancel a PIM for Groups assignment request',
    noun: 'group assignment request',
    idNames: ['requestId'],
    version: 'v1.0',
    method: 'POST',
    path: '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/{requestId}/cancel',
    body: () => undefined,
    successStatus: 204,
    permission: { least: 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup', higher: [] },
    role: 'Groups Administrator, Identity Governance Administrator, User Administrator or Directory Writer (Privileged Role Administrator for role-assignable groups)',
    selfService: {
      own: 'your own request',
      others: "someone else's request",
      permission: { least: 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup', higher: [] },
      role: null,
      read: {
        version: 'v1.0',
        path: "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/filterByCurrentUser(on='principal')",
        on: 'principal',
        idName: 'requestId',
        // graph-reference §7: a pending docs change moves this read to ReadWrite (unconfirmed);
        // the cancel's own permission, ReadWrite, satisfies both.
        permission: 'PrivilegedAssignmentSchedule.Read.AzureADGroup',
        higher: ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
      },
    },
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: {
      version: 'v1.0',
      path: '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/{requestId}',
      stateField: 'status',
      permission: 'PrivilegedAssignmentSchedule.Read.AzureADGroup',
      higher: ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
      role: 'Global Reader, Directory Writer, Groups Administrator, Identity Governance Administrator or User Administrator (Global Reader or Privileged Role Administrator for role-assignable groups)',
      // "the signed-in user must be an owner or member of the group or be assigned a supported
      // Microsoft Entra role" (https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-get,
      // and the list page privilegedaccessgroup-list-assignmentschedulerequests): the group's owners and
      // members read the group's requests with the permission alone, no directory role.
      withoutRole: 'the group’s owners and members',
      decidedAtField: 'completedDateTime',
    },
    allowedStates: PIM_CANCELLABLE,
    doneStates: ['Canceled'],
    command: { words: ['cancel', 'group-request'], description: 'Cancel a PIM for Groups assignment request' },
    decisions: cancelled(['Canceled']),
    notificationKind: 'groupRequest',
    demoExample: { requestId: 'groupRequestId' },
  },
  cancelAccessPackageRequest: {
    name: 'cancelAccessPackageRequest',
    seed: '003-access-package-assignment-request-cancel',
    title: 'Cancel an access package assignment request',
    noun: 'access package assignment request',
    idNames: ['requestId'],
    version: 'v1.0',
    method: 'POST',
    path: '/identityGovernance/entitlementManagement/assignmentRequests/{requestId}/cancel',
    body: () => undefined,
    successStatus: 200,
    // graph-reference §4: others' requests need EntitlementManagement.ReadWrite.All and an
    // entitlement management role; own requests EntitlementMgmt-SubjectAccess.ReadWrite and no role.
    // Access package assignment manager, Access package manager and Catalog owner are assigned per
    // catalog and count only for the access packages of that catalog; Identity Governance
    // Administrator is a directory role
    // (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-delegate).
    permission: { least: 'EntitlementManagement.ReadWrite.All', higher: [] },
    role: `Access package assignment manager, Access package manager or Catalog owner ${ON_ITS_CATALOG} (or Identity Governance Administrator)`,
    roleScope: EM_CATALOG_ROLES,
    selfService: {
      own: 'your own request',
      others: "someone else's request",
      permission: { least: 'EntitlementMgmt-SubjectAccess.ReadWrite', higher: ['EntitlementManagement.ReadWrite.All'] },
      role: null,
      read: {
        version: 'v1.0',
        path: "/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='target')",
        on: 'target',
        idName: 'requestId',
        // The resource page lists no $filter on id (state eq and createdDateTime only), and
        // entitlement management refuses an unsupported filter with 400 InvalidFilter
        // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0).
        idFilter: false,
        permission: 'EntitlementMgmt-SubjectAccess.ReadWrite',
        higher: ['EntitlementManagement.Read.All', 'EntitlementManagement.ReadWrite.All'],
      },
    },
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: {
      version: 'v1.0',
      path: '/identityGovernance/entitlementManagement/assignmentRequests/{requestId}',
      stateField: 'state',
      permission: 'EntitlementManagement.Read.All',
      higher: ['EntitlementManagement.ReadWrite.All'],
      role: `Catalog reader, Access package assignment manager, Access package manager or Catalog owner ${ON_ITS_CATALOG}, or Global Reader, Security Reader or Identity Governance Administrator`,
      decidedAtField: 'completedDateTime',
    },
    allowedStates: ['submitted', 'pendingApproval', 'scheduled'],
    doneStates: ['canceled'],
    command: { words: ['cancel', 'access-request'], description: 'Cancel an access package assignment request' },
    decisions: cancelled(['canceled']),
    notificationKind: 'accessRequest',
    demoExample: { requestId: 'accessRequestId' },
  },
  resumeTask: {
    name: 'resumeTask',
    seed: '004-lifecycle-task-processing-result-resume',
    title: 'Resume a Lifecycle Workflows custom task',
    noun: 'task processing result',
    idNames: ['workflowId', 'taskId', 'taskProcessingResultId'],
    version: 'v1.0',
    method: 'POST',
    path: '/identityGovernance/lifecycleWorkflows/workflows/{workflowId}/tasks/{taskId}/taskProcessingResults/{taskProcessingResultId}/resume',
    body: (t) => ({
      data: { operationStatus: t.decision ?? 'completed' },
      source: 'GovernanceBot',
      type: 'lifecycleEvent',
    }),
    successStatus: 204,
    permission: { least: 'LifecycleWorkflows.ReadWrite.All', higher: [] },
    role: 'Lifecycle Workflows Administrator',
    // graph-reference.md §9: the current documentation lists all four clouds (an older page
    // excluded China); the contract defers to §9.
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: {
      version: 'v1.0',
      path: '/identityGovernance/lifecycleWorkflows/workflows/{workflowId}/tasks/{taskId}/taskProcessingResults/{taskProcessingResultId}',
      stateField: 'processingStatus',
      permission: 'LifecycleWorkflows-Reports.Read.All',
      higher: LCW_READ_HIGHER,
      role: LCW_READ_ROLE,
      // The same evolvable processingStatus as a run's (graph-reference §6.1, §6.2).
      includeUnknownEnumMembers: true,
      // graph-reference §6.2: a taskProcessingResult says when it finished, never who resumed it.
      decidedAtField: 'completedDateTime',
    },
    allowedStates: ['inProgress'],
    doneStates: ['completed', 'failed', 'completedWithErrors'],
    command: { words: ['resume', 'task'], description: 'Resume a custom task extension as completed or failed' },
    decisions: [
      {
        name: 'completed',
        command: {
          words: ['approve', 'task'],
          description: 'Resume a custom task extension as completed',
          demoExample: { taskProcessingResultId: 'approveTaskProcessingResultId' },
        },
        button: 'Approve',
        doneWord: 'Approved',
        provenBy: ['completed'],
      },
      {
        name: 'failed',
        command: {
          words: ['reject', 'task'],
          description: 'Resume a custom task extension as failed',
          demoExample: { taskProcessingResultId: 'rejectTaskProcessingResultId' },
        },
        button: 'Reject',
        doneWord: 'Rejected',
        provenBy: ['failed'],
      },
    ],
    notificationKind: 'taskCallout',
    demoExample: { workflowId: 'taskWorkflowId', taskId: 'taskId', taskProcessingResultId: 'taskProcessingResultId' },
  },
} as const satisfies { readonly [N in CancelOrResumeName]: CatalogEntry<N> };
