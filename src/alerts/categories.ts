// What a channel can choose to hear. Each category has a stable id (stored in subscription records
// and used in commands and card inputs, so never renamed), a display name and a sentence for the
// welcome card. Notification events and catalog operations map to exactly one category each.

import { OperationName } from '../domain/operations';

export const CATEGORY_IDS = [
  'roleRequests',
  'groupRequests',
  'accessPackageRequests',
  'workflowRuns',
  'taskCallouts',
  'approvals',
  'actions',
] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];
/** What a channel can opt in to: a category, or the daily digest. */
export type AlertTopic = CategoryId | 'digest';

export interface CategorySpec {
  readonly id: CategoryId;
  /** Short name for cards and command answers. */
  readonly name: string;
  /** What a subscribed channel receives, for the welcome and settings cards. */
  readonly description: string;
  /** Extra words accepted by `alerts on|off <category>` besides the id (case-insensitive). */
  readonly aliases: readonly string[];
}

export const CATEGORIES: Readonly<Record<CategoryId, CategorySpec>> = {
  roleRequests: {
    id: 'roleRequests',
    name: 'PIM role requests',
    description: 'New Privileged Identity Management requests for Entra roles.',
    aliases: ['role-requests', 'role-request', 'roles'],
  },
  groupRequests: {
    id: 'groupRequests',
    name: 'PIM group requests',
    description: 'New PIM for Groups membership and ownership requests.',
    aliases: ['group-requests', 'group-request', 'groups'],
  },
  accessPackageRequests: {
    id: 'accessPackageRequests',
    name: 'Access package requests',
    description: 'New entitlement management access package requests.',
    aliases: ['access-package-requests', 'access-requests', 'access-request', 'access-packages'],
  },
  workflowRuns: {
    id: 'workflowRuns',
    name: 'Workflow runs',
    description: 'Lifecycle Workflows runs that started.',
    aliases: ['workflow-runs', 'runs', 'workflows'],
  },
  taskCallouts: {
    id: 'taskCallouts',
    name: 'Custom task callouts',
    description: 'Lifecycle Workflows custom tasks waiting for a decision.',
    aliases: ['task-callouts', 'tasks', 'callouts'],
  },
  approvals: {
    id: 'approvals',
    name: 'Approvals waiting',
    description: 'PIM and access package approvals waiting for a decision, with a reminder before they expire.',
    aliases: ['approvals-waiting', 'approval'],
  },
  actions: {
    id: 'actions',
    name: 'Actions taken through the bot',
    description: 'Every action anyone takes through the bot, from chat or card, including failed and refused ones.',
    aliases: ['actions-taken', 'action', 'audit'],
  },
};

export function isCategoryId(value: unknown): value is CategoryId {
  return typeof value === 'string' && (CATEGORY_IDS as readonly string[]).includes(value);
}

/** The category a person typed (`alerts on role-requests`), by id, display name or alias; null if none. */
export function parseCategory(text: string): CategoryId | null {
  const wanted = text.trim().replace(/\s+/g, ' ').toLowerCase();
  if (!wanted) return null;
  for (const spec of Object.values(CATEGORIES)) {
    if (spec.id.toLowerCase() === wanted || spec.name.toLowerCase() === wanted) return spec.id;
    if (spec.aliases.includes(wanted)) return spec.id;
  }
  return null;
}

/** Notification event kinds (POST /api/notifications `kind`) and the category each announces.
 * The approval kinds are those the approvals intake uses for "waiting for a decision". */
const EVENT_KIND_CATEGORY: Readonly<Record<string, CategoryId>> = {
  roleRequest: 'roleRequests',
  groupRequest: 'groupRequests',
  accessRequest: 'accessPackageRequests',
  workflowRun: 'workflowRuns',
  taskCallout: 'taskCallouts',
  roleApproval: 'approvals',
  groupApproval: 'approvals',
  accessApproval: 'approvals',
};

/** The category of a notification event kind, or null for a kind no category announces. */
export function categoryOfEventKind(kind: string): CategoryId | null {
  return Object.prototype.hasOwnProperty.call(EVENT_KIND_CATEGORY, kind) ? (EVENT_KIND_CATEGORY[kind] ?? null) : null;
}

/** The category of the item an operation acts on: the channels whose cards show that kind of item.
 * (The action itself is announced under `actions`.) Exhaustive: a new operation does not compile
 * until it has its category. */
const OPERATION_CATEGORY: Readonly<Record<OperationName, CategoryId>> = {
  cancelRoleRequest: 'roleRequests',
  cancelGroupRequest: 'groupRequests',
  cancelAccessPackageRequest: 'accessPackageRequests',
  cancelWorkflowRun: 'workflowRuns',
  resumeTask: 'taskCallouts',
  decideRoleApproval: 'approvals',
  decideGroupApproval: 'approvals',
  decideAccessPackageApproval: 'approvals',
};

export function categoryOfOperation(operation: OperationName): CategoryId {
  return OPERATION_CATEGORY[operation];
}
