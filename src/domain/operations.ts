// The operation catalog: every fact the bot knows about the Graph writes it makes, taken from the
// seeds in ../shared/seeds and reference/graph-reference.md. Nothing else names an operation: the
// grammar and its usage hints, the help card and its demo examples, the card buttons and their
// decisions, the gateway (method, version, path, body), the state read before and after a write,
// cloud gating, the audit line, the README permission and command tables, the Teams manifest's
// command list and the notification event kinds are all derived from these entries.
//
// Adding an operation takes:
//   1. one entry below and its name in OPERATION_NAMES (a new decision name also goes into
//      DECISION_NAMES in ./catalog/types.ts), with its reads: the admin read (get by id, its
//      permission and role) and, when the API lets people act on their own items, `selfService`
//      (its permission and the filterByCurrentUser read); the app registration and the README
//      table list every permission named there;
//   2. its wording: the sentence for its success card in src/cards/wording.ts (DONE_TEXT, which
//      does not compile without it); with a new notification kind, that event's payload fields in
//      src/notifications/events.ts (its switch does not compile without the case);
//   3. its simulator model in src/sandbox (the Graph route, its states, a demo item and the
//      seed `examples` keys its `demoExample` names);
//   4. its tests: test/unit/catalog.test.ts walks every entry (grammar, help, manifest, README
//      tables, event kinds, buttons); add its request to the gateway's contract test.
// Then regenerate the README tables and the manifest commands: `npm run build && node scripts/generate.js`.

import { APPROVAL_ENTRIES, APPROVAL_OPERATION_NAMES } from './catalog/approvals';
import { CatalogEntry, Cloud, DecisionName, DecisionSpec, TargetOf } from './catalog/types';

export { CLOUDS, DECISION_NAMES } from './catalog/types';
export type { Cloud, CommandWords, DecisionName, DecisionSpec, GraphVersion, HttpMethod } from './catalog/types';

export const CLOUD_NAMES: Readonly<Record<Cloud, string>> = {
  global: 'the global Microsoft cloud',
  usgov: 'US Government L4 (GCC High)',
  usgovdod: 'US Government L5 (DoD)',
  china: 'Microsoft Azure operated by 21Vianet (China)',
};

export const OPERATION_NAMES = [
  'cancelWorkflowRun',
  'cancelRoleRequest',
  'cancelGroupRequest',
  'cancelAccessPackageRequest',
  'resumeTask',
  ...APPROVAL_OPERATION_NAMES,
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];
export type Target = TargetOf<OperationName>;
export type OperationSpec = CatalogEntry<OperationName>;
export type { SelfReadSpec, SelfServiceSpec, StateReadSpec } from './catalog/types';

// Reading runs and task processing results (graph-reference §8).
const LCW_READ_HIGHER = ['LifecycleWorkflows.Read.All', 'LifecycleWorkflows.ReadWrite.All'];
const LCW_READ_ROLE = 'Global Reader or Lifecycle Workflows Administrator';

const PIM_CANCELLABLE = ['Granted', 'PendingApproval', 'PendingApprovalProvisioning', 'PendingAdminDecision'];

/** A cancel: one decision without a name, proven by the canceled state(s). */
function cancelled(provenBy: readonly string[]): readonly DecisionSpec[] {
  return [{ name: null, button: 'Cancel', doneWord: 'Cancelled', provenBy }];
}

const ENTRIES = {
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
    permission: { least: 'EntitlementManagement.ReadWrite.All', higher: [] },
    role: 'Access package assignment manager (or Access package manager, Catalog owner, Identity Governance Administrator)',
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
      role: 'Catalog reader, Access package assignment manager, Access package manager, Catalog owner, Global Reader, Security Reader or Identity Governance Administrator',
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
        command: { words: ['approve', 'task'], description: 'Resume a custom task extension as completed' },
        button: 'Approve',
        doneWord: 'Approved',
        provenBy: ['completed'],
      },
      {
        name: 'failed',
        command: { words: ['reject', 'task'], description: 'Resume a custom task extension as failed' },
        button: 'Reject',
        doneWord: 'Rejected',
        provenBy: ['failed'],
      },
    ],
    notificationKind: 'taskCallout',
    demoExample: { workflowId: 'taskWorkflowId', taskId: 'taskId', taskProcessingResultId: 'taskProcessingResultId' },
  },
  // Deciding approvals as the approver: ./catalog/approvals.ts.
  ...APPROVAL_ENTRIES,
} as const satisfies { readonly [N in OperationName]: CatalogEntry<N> };

export const CATALOG: Readonly<Record<OperationName, OperationSpec>> = ENTRIES;

/** The notification event kinds, one per entry that has one, in catalog order. */
export type NotificationKind = NonNullable<(typeof ENTRIES)[OperationName]['notificationKind']>;
export const NOTIFICATION_KINDS: readonly NotificationKind[] = OPERATION_NAMES.flatMap((n) => {
  const kind: NotificationKind | null = ENTRIES[n].notificationKind;
  return kind === null ? [] : [kind];
});

/** The operation whose card a notification of this kind shows. */
export function operationOfKind(kind: NotificationKind): OperationName {
  const name = OPERATION_NAMES.find((n) => ENTRIES[n].notificationKind === kind);
  if (!name) throw new Error(`no operation for notification kind ${kind}`);
  return name;
}

/** Whether the entry asks the user to choose (resume completed|failed), rather than just act. */
export function hasNamedDecisions(spec: OperationSpec): boolean {
  return spec.decisions.some((d) => d.name !== null);
}

/** The names of an entry's decisions, or null for an operation with one outcome. */
export function decisionNames(spec: OperationSpec): readonly DecisionName[] | null {
  const names = spec.decisions.flatMap((d) => (d.name === null ? [] : [d.name]));
  return names.length > 0 ? names : null;
}

/** The decision a target asks for, or undefined when the target does not fit its entry. */
export function decisionOf(target: Target): DecisionSpec | undefined {
  return CATALOG[target.operation].decisions.find((d) => d.name === (target.decision ?? null));
}

/** The past tense of what the target did, for the settled card ("Cancelled", "Approved"). */
export function doneWordOf(target: Target): string {
  return decisionOf(target)?.doneWord ?? 'Done';
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID_RE.test(value);
}

/** Fills a catalog path template. Every id must already be a GUID; anything else throws. */
export function fillPath(template: string, ids: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = ids[name];
    if (!isGuid(value)) throw new Error(`id ${name} is not a GUID`);
    return value.toLowerCase();
  });
}

/** The id the audit line names: the command's last id. */
export function targetIdOf(target: Target): string {
  const spec = CATALOG[target.operation];
  const last = spec.idNames[spec.idNames.length - 1];
  return (last !== undefined ? target.ids[last] : undefined) ?? '';
}

export function stateIn(state: string | null | undefined, states: readonly string[]): boolean {
  if (!state) return false;
  const s = state.toLowerCase();
  return states.some((x) => x.toLowerCase() === s);
}
