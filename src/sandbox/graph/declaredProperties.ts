// What $select may name on the request types, and what a $select nested in $expand may name on
// the relationships whose row says "Supports $expand and $select nested in $expand": the
// Properties and Relationships tables of each resource page. A name not listed is a 400, as
// Graph's OData parser answers it (microsoft-graph-docs-contrib#4529:
// "Parsing OData Select and Expand failed: Could not find a property named '…' on type '…'.").
// Also the full property lists a request body is checked against (undeclared.ts: unknownProperty).

/** The properties every request type inherits from `request` and `entity`. */
const REQUEST = ['id', 'status', 'completedDateTime', 'createdDateTime', 'approvalId', 'customData', 'createdBy'];
const PIM_REQUEST = [...REQUEST, 'action', 'isValidationOnly', 'justification', 'scheduleInfo', 'ticketInfo'];

/**
 * unifiedRoleAssignmentScheduleRequest and unifiedRoleEligibilityScheduleRequest list the same
 * properties
 * (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0,
 * https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleeligibilityschedulerequest?view=graph-rest-1.0).
 */
export const ROLE_REQUEST_PROPERTIES = [
  ...PIM_REQUEST,
  'principalId',
  'roleDefinitionId',
  'directoryScopeId',
  'appScopeId',
  'targetScheduleId',
];

/**
 * privilegedAccessGroupAssignmentScheduleRequest and privilegedAccessGroupEligibilityScheduleRequest
 * (https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0,
 * https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupeligibilityschedulerequest?view=graph-rest-1.0).
 */
export const GROUP_REQUEST_PROPERTIES = [...PIM_REQUEST, 'principalId', 'accessId', 'groupId', 'targetScheduleId'];

/**
 * https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
 * (justification: "The requestor's supplied justification", in the page's later revisions and the
 * beta page; the model carries it).
 */
export const ACCESS_REQUEST_PROPERTIES = [
  'justification',
  'id',
  'requestType',
  'state',
  'status',
  'createdDateTime',
  'completedDateTime',
  'schedule',
  'answers',
  'customExtensionCalloutInstances',
];

/** Every property of v1.0 approvalStage and of beta approvalStep, the same eight
 * (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0,
 * https://learn.microsoft.com/en-us/graph/api/resources/approvalstep?view=graph-rest-beta). */
export const STAGE_PROPERTIES = [
  'id',
  'assignedToMe',
  'displayName',
  'justification',
  'reviewedBy',
  'reviewedDateTime',
  'reviewResult',
  'status',
];

/**
 * Every property and relationship the beta accessPackageAssignmentRequest page lists, read-only
 * ones included: a name outside them is refused by OData; only these were checked against the
 * page, so a name the live type has but this list lacks is refused here too (stricter, never laxer)
 * (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-beta).
 */
export const BETA_ACCESS_REQUEST_PROPERTIES = [
  'completedDate',
  'createdDateTime',
  'id',
  'isValidationOnly',
  'justification',
  'requestState',
  'requestStatus',
  'requestType',
  'schedule',
  'accessPackageAssignment',
  'answers',
  'accessPackage',
  'requestor',
];

/** "principal ... Supports $expand and $select nested in $expand for id only" (the PIM request pages). */
export const PRINCIPAL_ID_ONLY = { type: 'microsoft.graph.directoryObject', properties: ['id'] } as const;

/**
 * "group ... $select nested in $expand for select properties like id, displayName, and mail" (PIM
 * for Groups): only some of the group's properties, and these three the only ones named, so the
 * tenant takes those three (a name beyond them is not promised; the bot nests no $select in group).
 */
export const GROUP_NESTED = { type: 'microsoft.graph.group', properties: ['id', 'displayName', 'mail'] } as const;

const ROLE_SCHEDULE = [
  'id',
  'principalId',
  'roleDefinitionId',
  'directoryScopeId',
  'appScopeId',
  'createdUsing',
  'createdDateTime',
  'modifiedDateTime',
  'status',
  'memberType',
  'scheduleInfo',
];

/**
 * The assignment request's roleDefinition, activatedUsing and targetSchedule rows: "Supports
 * $expand and $select nested in $expand"; the eligibility request's rows say $expand only.
 * https://learn.microsoft.com/en-us/graph/api/resources/unifiedroledefinition?view=graph-rest-1.0
 * https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedule?view=graph-rest-1.0
 * https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleeligibilityschedule?view=graph-rest-1.0
 */
export const ROLE_REQUEST_NESTED = {
  roleDefinition: {
    type: 'microsoft.graph.unifiedRoleDefinition',
    properties: [
      'id',
      'description',
      'displayName',
      'isBuiltIn',
      'isEnabled',
      'resourceScopes',
      'rolePermissions',
      'templateId',
      'version',
    ],
  },
  activatedUsing: { type: 'microsoft.graph.unifiedRoleEligibilitySchedule', properties: ROLE_SCHEDULE },
  targetSchedule: {
    type: 'microsoft.graph.unifiedRoleAssignmentSchedule',
    properties: [...ROLE_SCHEDULE, 'assignmentType'],
  },
  principal: PRINCIPAL_ID_ONLY,
} as const;
