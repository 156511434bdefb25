// The operation catalog: every fact the bot knows about the five Graph writes, taken from the
// seeds in ../shared/seeds and reference/graph-reference.md. The parser, the gateway, the error
// cards, cloud gating, the simulated tenant and the README permission table all read from here.
// Adding an operation means one entry here, one grammar line, its card wording, and tests.

export const CLOUDS = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];

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
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export type TaskOutcome = 'completed' | 'failed';

/** What a command or a card button asks for: one operation and its ids, all GUIDs. */
export interface Target {
  readonly operation: OperationName;
  /** Ids by the names in the catalog entry's `idNames`, in that order. */
  readonly ids: Readonly<Record<string, string>>;
  /** Only for resumeTask: the custom task extension's decision. */
  readonly operationStatus?: TaskOutcome;
}

export interface OperationSpec {
  readonly name: OperationName;
  /** The seed page the facts come from. */
  readonly seed: string;
  /** Short human name, used in cards and the README. */
  readonly title: string;
  /** What the item is called in sentences ("workflow run"). */
  readonly noun: string;
  /** Names of the ids, in command order; the last one is the audit targetId. */
  readonly idNames: readonly string[];
  readonly version: 'v1.0';
  readonly method: 'POST';
  /** Path template under /v1.0; {name} placeholders are filled with the ids. */
  readonly path: string;
  readonly body: (target: Target) => unknown;
  /** The documented success status; the gateway treats any 2xx as success. */
  readonly successStatus: number;
  readonly permission: { readonly least: string; readonly higher: readonly string[] };
  /** The least-privileged Entra role(s) a delegated caller needs, in words. */
  readonly role: string;
  readonly clouds: readonly Cloud[];
  /** GET of the item, to learn its current state. */
  readonly read: { readonly path: string; readonly stateField: string; readonly permission: string };
  /** States from which the write is allowed (compared case-insensitively). */
  readonly allowedStates: readonly string[];
  /** States meaning the write already took effect (compared case-insensitively). */
  readonly doneStates: readonly string[];
}

const PIM_CANCELLABLE = ['Granted', 'PendingApproval', 'PendingApprovalProvisioning', 'PendingAdminDecision'];

export const CATALOG: Readonly<Record<OperationName, OperationSpec>> = {
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
      path: '/identityGovernance/lifecycleWorkflows/workflows/{workflowId}/runs/{runId}',
      stateField: 'processingStatus',
      permission: 'LifecycleWorkflows-Reports.Read.All',
    },
    allowedStates: ['queued', 'inProgress'],
    doneStates: ['canceling', 'canceled'],
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
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: {
      path: '/roleManagement/directory/roleAssignmentScheduleRequests/{requestId}',
      stateField: 'status',
      permission: 'RoleAssignmentSchedule.ReadWrite.Directory',
    },
    allowedStates: PIM_CANCELLABLE,
    doneStates: ['Canceled'],
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
    role: 'group owner or member; otherwise Privileged Role Administrator (role-assignable groups) or Groups Administrator, Identity Governance Administrator, User Administrator or Directory Writer',
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: {
      path: '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/{requestId}',
      stateField: 'status',
      permission: 'PrivilegedAssignmentSchedule.Read.AzureADGroup',
    },
    allowedStates: PIM_CANCELLABLE,
    doneStates: ['Canceled'],
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
    // Own requests: EntitlementMgmt-SubjectAccess.ReadWrite needs no role. Others' requests need
    // EntitlementManagement.ReadWrite.All and an entitlement management role.
    permission: { least: 'EntitlementMgmt-SubjectAccess.ReadWrite', higher: ['EntitlementManagement.ReadWrite.All'] },
    role: 'none for your own request; Access package assignment manager for requests of others',
    clouds: ['global', 'usgov', 'usgovdod', 'china'],
    read: {
      path: '/identityGovernance/entitlementManagement/assignmentRequests/{requestId}',
      stateField: 'state',
      permission: 'EntitlementMgmt-SubjectAccess.ReadWrite',
    },
    allowedStates: ['submitted', 'pendingApproval', 'scheduled'],
    doneStates: ['canceled'],
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
      data: { operationStatus: t.operationStatus ?? 'completed' },
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
      path: '/identityGovernance/lifecycleWorkflows/workflows/{workflowId}/tasks/{taskId}/taskProcessingResults/{taskProcessingResultId}',
      stateField: 'processingStatus',
      permission: 'LifecycleWorkflows-Reports.Read.All',
    },
    allowedStates: ['inProgress'],
    doneStates: ['completed', 'failed', 'completedWithErrors'],
  },
};

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
