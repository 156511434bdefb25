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
  // The same page's Properties table (totalTasksCounts as the table spells it, totalTasksCount as
  // its JSON example does; activatedOnScope from its later revisions).
  properties: [
    'id',
    'completedDateTime',
    'failedTasksCount',
    'failedUsersCount',
    'lastUpdatedDateTime',
    'processingStatus',
    'startedDateTime',
    'scheduledDateTime',
    'successfulUsersCount',
    'totalUsersCount',
    'totalTasksCount',
    'totalTasksCounts',
    'totalUnprocessedTasksCount',
    'workflowExecutionType',
    'activatedOnScope',
  ],
  // The list page: "supports the $select, $orderby, and $filter OData query parameters"
  // (https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-list-runs?view=graph-rest-1.0):
  // $top, $skip, $count and $search are refused; $orderby on the properties whose row says so.
  collectionOptions: ['$orderby'],
  orderable: [
    'completedDateTime',
    'lastUpdatedDateTime',
    'processingStatus',
    'startedDateTime',
    'scheduledDateTime',
    'workflowExecutionType',
  ],
};
// The taskProcessingResult page's Properties table; each row but failureReason says "Supports ...
// $orderby"; subject says "Supports $filter (eq, ne) and $expand" (no $select nested in it), task
// nothing (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0).
const TASK_RESULT_ORDERABLE = ['completedDateTime', 'createdDateTime', 'id', 'processingStatus', 'startedDateTime'];
export const TASK_RESULT_SHAPE: EntityShape = {
  type: 'microsoft.graph.identityGovernance.taskProcessingResult',
  navigation: ['subject', 'task'],
  filterable: ['id', 'processingStatus', 'subject/id'],
  evolvable: { processingStatus: PROCESSING_EVOLVABLE },
  properties: [...TASK_RESULT_ORDERABLE, 'failureReason'],
  // Its list pages (of a run, of a userProcessingResult): "supports the $select, $orderby,
  // $expand, and $filter OData query parameters"
  // (https://learn.microsoft.com/en-us/graph/api/identitygovernance-run-list-taskprocessingresults?view=graph-rest-1.0,
  // https://learn.microsoft.com/en-us/graph/api/identitygovernance-userprocessingresult-list-taskprocessingresults?view=graph-rest-1.0);
  // the task's list of the resume target is held to the same: $top, $skip, $count, $search refused.
  collectionOptions: ['$orderby'],
  orderable: TASK_RESULT_ORDERABLE,
};
export const WORKFLOW_SHAPE: EntityShape = {
  type: 'microsoft.graph.identityGovernance.workflow',
  navigation: ['createdBy', 'lastModifiedBy'],
  filterable: ['id', 'category', 'displayName'],
  // The workflow page's Properties table (those inherited from workflowBase included); the get
  // page "supports the $select and $expand OData query parameters"
  // (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-workflow?view=graph-rest-1.0,
  // https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-get?view=graph-rest-1.0).
  properties: [
    'category',
    'createdDateTime',
    'deletedDateTime',
    'description',
    'displayName',
    'executionConditions',
    'id',
    'isEnabled',
    'isSchedulingEnabled',
    'lastModifiedDateTime',
    'nextScheduleRunDateTime',
    'version',
  ],
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
