// The demo tenant's starting state, as written in src/sandbox/seed.json.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HelpExamples } from '../domain/helpExamples';
import { projectRoot } from '../paths';
import type { SeededSignInRefusal } from './signInRefusals';

export interface DemoUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  /** Delegated permissions granted to the bot's app for this user (the token's scp). */
  readonly scopes: readonly string[];
  /** Entra directory roles held tenant-wide (none: an ordinary user); catalog roles are in
   * `catalogs[].roleAssignments`. */
  readonly roles?: readonly string[];
  /** false: has not consented to the bot's app (OBO answers AADSTS65001 until they do). */
  readonly consent?: boolean;
  /** true: Conditional Access asks for MFA (OBO answers AADSTS50076 until it is done). */
  readonly mfaRequired?: boolean;
  /** true: a Conditional Access policy blocks the access (OBO and sign-in answer AADSTS53003,
   * without a claims challenge: no sign-in can meet it). */
  readonly accessBlocked?: boolean;
  /** The token endpoint refuses every token for this user, on-behalf-of or code redemption, with
   * this AADSTS refusal (a device, cross-tenant access settings, an expired password:
   * signInRefusals.ts). */
  readonly signInRefusal?: SeededSignInRefusal;
}

export interface SeedItem {
  readonly id: string;
  /** Answer the first write with 429 (a throttled Graph), then behave. */
  readonly throttleOnce?: boolean;
  /** How long ago the request was made (default 10 minutes). */
  readonly ageMinutes?: number;
  /** Approval stages, each a list of approvers (display names); default one stage of `approvers`. */
  readonly approvalStages?: ReadonlyArray<readonly string[]>;
  /** The approval policy requires a justification from an approver who approves (every stage);
   * default true for PIM requests (PIM's default policy), false for access package requests. */
  readonly approverJustificationRequired?: boolean;
  /** An access package policy's durationBeforeAutomaticDenial for every stage, whole days like
   * "P7D" (default P14D, the portal's default); other kinds ignore it (PIM's window is 24 h). */
  readonly durationBeforeAutomaticDenial?: string;
}
export interface SeedRun extends SeedItem {
  readonly processingStatus: string;
}
export interface SeedTaskResult extends SeedItem {
  readonly processingStatus: string;
  readonly subject?: string;
}
export interface SeedWorkflow {
  readonly id: string;
  readonly displayName: string;
  readonly category: string;
  readonly runs: readonly SeedRun[];
  readonly tasks: ReadonlyArray<{
    readonly id: string;
    readonly displayName: string;
    readonly results: readonly SeedTaskResult[];
  }>;
}
/** Principal, requestor and approvers are display names; a seed user's name maps to that user. */
export interface SeedRoleRequest extends SeedItem {
  readonly status: string;
  readonly roleName: string;
  readonly principal: string;
  readonly justification: string;
  readonly duration: string;
  readonly approvers?: readonly string[];
  /** The request's action (unifiedRoleAssignmentScheduleRequest.action); default selfActivate. */
  readonly action?: string;
  /** Who created the request (createdBy.user): an administrator for adminAssign; default the principal. */
  readonly createdBy?: string;
  /** An eligibility schedule request (an eligible assignment extended or renewed); default an
   * assignment schedule request. */
  readonly schedule?: 'eligibility';
}
export interface SeedGroupRequest extends SeedItem {
  readonly status: string;
  readonly groupName: string;
  readonly accessId: string;
  readonly principal: string;
  readonly justification: string;
  readonly duration: string;
  /** Role-assignable groups ask administrators for Privileged Role Administrator. */
  readonly isRoleAssignable?: boolean;
  readonly approvers?: readonly string[];
  /** The request's action (privilegedAccessGroupAssignmentScheduleRequest.action); default selfActivate. */
  readonly action?: string;
  /** As for PIM role requests: who created it; default the principal. */
  readonly createdBy?: string;
  /** As for PIM role requests: an eligibility schedule request. */
  readonly schedule?: 'eligibility';
}
export interface SeedAccessRequest extends SeedItem {
  readonly state: string;
  readonly status: string;
  readonly accessPackageName: string;
  readonly requestor: string;
  readonly requestType: string;
  readonly approvers?: readonly string[];
  readonly justification?: string;
}

/**
 * An entitlement management catalog: the access packages it holds (by name, as requests name
 * them) and who holds which catalog role on it (Catalog reader, Access package assignment
 * manager, Access package manager, Catalog owner: roles assigned per catalog, never tenant-wide).
 */
export interface SeedCatalog {
  readonly id: string;
  readonly displayName: string;
  readonly accessPackages: readonly string[];
  readonly roleAssignments?: ReadonlyArray<{ readonly role: string; readonly principal: string }>;
}

/** An Entra group; members are object ids of users or of other groups (nesting). */
export interface SeedGroup {
  readonly id: string;
  readonly displayName: string;
  readonly members: readonly string[];
  /** Object ids of the owners (users); a team's owners are its group's owners. */
  readonly owners?: readonly string[];
  /** A role-assignable group (isAssignableToRole): reading its PIM for Groups requests asks other
   * roles. A PIM for Groups request names its group by this display name. */
  readonly isRoleAssignable?: boolean;
}

export interface DemoSeed {
  readonly tenantId: string;
  readonly app: { readonly clientId: string; readonly clientSecret: string };
  readonly users: readonly DemoUser[];
  readonly workflows: readonly SeedWorkflow[];
  readonly roleRequests: readonly SeedRoleRequest[];
  readonly groupRequests: readonly SeedGroupRequest[];
  readonly accessRequests: readonly SeedAccessRequest[];
  readonly groups: readonly SeedGroup[];
  /** Entitlement management catalogs; an access package no catalog lists is in none. */
  readonly catalogs?: readonly SeedCatalog[];
  /** The group the sandbox bot lets change any channel's alerts (its ALERTS_ADMIN_GROUP_ID). */
  readonly alertsAdminGroupId: string;
  /** Ids that make every help example work in the sandbox. */
  readonly examples: HelpExamples;
  /** Who owns what, for self-service and sign-in tests and demos. */
  readonly selfService: SelfServiceExamples;
}

export interface SelfServiceExamples {
  /** A requester without admin roles (all the bot's permissions consented) and their pending requests. */
  readonly requesterId: string;
  /** An administrator who may cancel anyone's request. */
  readonly adminId: string;
  /** Two of each, so one can be cancelled from a command and one from a card. */
  readonly roleRequestIds: readonly string[];
  readonly groupRequestIds: readonly string[];
  readonly accessRequestIds: readonly string[];
  /** A user who has not consented to the bot's app, and a request of their own. */
  readonly consentUserId: string;
  readonly consentUserAccessRequestId: string;
  /** A user Conditional Access sends to MFA, and a request of their own. */
  readonly mfaUserId: string;
  readonly mfaUserRoleRequestId: string;
  /** The administrator's (the sandbox's default user's) own requests that cancel accepts, made
   * for herself, so that her `my requests` has rows to cancel: a PIM role and a PIM for Groups
   * request waiting for approval, an access package request waiting for approval and one
   * waiting for its start date. No help example names them. */
  readonly adminOwnRequestIds: readonly string[];
  /** A PIM role request the administrator made for herself and of which she is also named an
   * approver (as an approver group holding its requester names them), so that the sandbox shows
   * the refusal of a decision on one's own request: "Approvers aren't able to approve their own
   * role activation requests" (pim-approval-workflow). Cancel accepts it too. */
  readonly adminSelfApprovalRequestId: string;
  /** The same for an access package request: "Approvers aren't able to approve their own access
   * package requests" (entitlement-management-access-package-approval-policy). */
  readonly adminSelfApprovalAccessRequestId: string;
}

/** A fresh deep copy of the demo tenant in src/sandbox/seed.json. */
export function loadDemoSeed(): DemoSeed {
  return JSON.parse(fs.readFileSync(path.join(projectRoot(), 'src', 'sandbox', 'seed.json'), 'utf8')) as DemoSeed;
}
