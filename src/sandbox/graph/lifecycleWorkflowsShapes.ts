// How Lifecycle Workflows items read (navigation, filters, evolvable enums) and who may call what
// (graph-reference §1, §5, §6.1-§6.3, §8).

import { Policy, ROLES } from './access';
import type { EntityShape } from './odata';

// lifecycleWorkflowProcessingStatus lists canceling and quarantined after unknownFutureValue
// (graph-reference §6.1): hidden unless the request sends Prefer: include-unknown-enum-members.
const PROCESSING_EVOLVABLE = ['canceling', 'quarantined'];
export const RUN_SHAPE: EntityShape = {
  type: 'microsoft.graph.identityGovernance.run',
  navigation: [
    'userProcessingResults',
    'subjectProcessingResults',
    'taskProcessingResults',
    'taskReports',
    'reprocessedRuns',
  ],
  // The run page: processingStatus and workflowExecutionType "Supports $filter (eq, ne)"; id says
  // nothing of $filter (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-run?view=graph-rest-1.0).
  filterable: ['processingStatus', 'workflowExecutionType'],
  evolvable: { processingStatus: PROCESSING_EVOLVABLE, workflowExecutionType: ['activatedWithScope', 'preview'] },
};
export const TASK_RESULT_SHAPE: EntityShape = {
  type: 'microsoft.graph.identityGovernance.taskProcessingResult',
  navigation: ['subject', 'task'],
  filterable: ['id', 'processingStatus', 'subject/id'],
  evolvable: { processingStatus: PROCESSING_EVOLVABLE },
};
export const WORKFLOW_SHAPE: EntityShape = {
  type: 'microsoft.graph.identityGovernance.workflow',
  navigation: ['createdBy', 'lastModifiedBy'],
  filterable: ['id', 'category', 'displayName'],
};

// Delegated permissions, graph-reference §8 (least first).
const SCOPES = {
  cancel: ['LifecycleWorkflows-Workflow.ReadWrite.All', 'LifecycleWorkflows.ReadWrite.All'],
  resume: ['LifecycleWorkflows.ReadWrite.All'],
  read: ['LifecycleWorkflows-Reports.Read.All', 'LifecycleWorkflows.Read.All', 'LifecycleWorkflows.ReadWrite.All'],
  workflowRead: [
    'LifecycleWorkflows-Workflow.ReadBasic.All',
    'LifecycleWorkflows-Workflow.Read.All',
    'LifecycleWorkflows-Workflow.ReadWrite.All',
    'LifecycleWorkflows.Read.All',
    'LifecycleWorkflows.ReadWrite.All',
  ],
} as const;

// Lifecycle Workflows Administrator writes; Global Reader or that role reads (§1, §5, §8).
export const LCW_POLICY: Readonly<Record<'cancel' | 'resume' | 'read' | 'workflowRead', Policy>> = {
  cancel: { admin: { scopes: SCOPES.cancel, roles: ROLES.lcwWrite } },
  resume: { admin: { scopes: SCOPES.resume, roles: ROLES.lcwWrite } },
  read: { admin: { scopes: SCOPES.read, roles: ROLES.lcwRead } },
  workflowRead: { admin: { scopes: SCOPES.workflowRead, roles: ROLES.lcwRead } },
};
