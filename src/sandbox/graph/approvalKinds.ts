// Where each kind of approval lives and what it asks of the caller (graph-reference §6.7, §8): the
// approval and request paths, the delegated permissions per read, decision and approver filter.

import type { UnconfirmedBehaviour } from '../unconfirmed';
import type { Policy } from './access';
import type { ApprovalKind } from './approvalModel';
import type { EntityShape } from './odata';
import { GROUP_ELIGIBILITY_REQUEST_SHAPE } from './pimGroups';
import { ROLE_ELIGIBILITY_REQUEST_SHAPE, roleFilterByCurrentUser } from './pimRoles';

export interface KindConfig {
  readonly approvals: string;
  readonly requests: string;
  readonly betaOnly: boolean;
  /** PIM answers a missing scope with its own 403 shape. */
  readonly pim: boolean;
  readonly read: Policy;
  readonly write: Policy;
  /** filterByCurrentUser(on='approver') over the approvals. */
  readonly filter: Policy;
  /** filterByCurrentUser(on='approver') over the requests (its own page, its own permission). */
  readonly requestFilter: Policy | (() => Policy);
  readonly requestShape: EntityShape;
  /** PIM: the eligibility schedule requests and their approver filter's permission (an eligible
   * assignment extended or renewed waits for an approver too). */
  readonly eligibility?: { readonly requests: string; readonly filter: () => Policy; readonly shape: EntityShape };
  /** PIM's approver filters stop at 50; entitlement management pages instead. */
  readonly capped: boolean;
}

const only = (...scopes: string[]): Policy => ({ admin: { scopes, roles: [] } });
const ROLE_SCOPES = ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'];
// The PIM role approval reads (beta), as approval-list-steps names them "For PIM for Microsoft
// Entra roles": least RoleAssignmentSchedule.Read.Directory, higher ...ReadWrite.Directory only;
// RoleManagement.ReadWrite.Directory, higher for the requests, is not among them
// (https://learn.microsoft.com/en-us/graph/api/approval-list-steps?view=graph-rest-beta).
const ROLE_APPROVAL_READ = ['RoleAssignmentSchedule.Read.Directory', 'RoleAssignmentSchedule.ReadWrite.Directory'];
const GROUP_READ = [
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
];
const GROUP_WRITE = ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];
const ROLE_ELIGIBILITY_FILTER = ['RoleEligibilitySchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'];
const EM_READ = ['EntitlementManagement.Read.All', 'EntitlementManagement.ReadWrite.All'];
const EM_WRITE = ['EntitlementManagement.ReadWrite.All'];

export function approvalKinds(
  shapes: Readonly<Record<ApprovalKind, EntityShape>>,
  behaviour: () => UnconfirmedBehaviour,
): Readonly<Record<ApprovalKind, KindConfig>> {
  const em = '/identityGovernance/entitlementManagement';
  const pimGroup = '/identityGovernance/privilegedAccess/group';
  return {
    // approvalstep-update (beta): RoleAssignmentSchedule.ReadWrite.Directory, delegated only, no
    // higher permission; the reads (the approval, its steps, a step) as approval-list-steps.
    role: {
      approvals: '/roleManagement/directory/roleAssignmentApprovals',
      requests: '/roleManagement/directory/roleAssignmentScheduleRequests',
      betaOnly: true,
      pim: true,
      read: only(...ROLE_APPROVAL_READ),
      write: only(ROLE_SCOPES[0]!),
      filter: only(...ROLE_SCOPES),
      requestFilter: () => roleFilterByCurrentUser(behaviour()),
      requestShape: shapes.role,
      // unifiedroleeligibilityschedulerequest-filterbycurrentuser: least
      // RoleEligibilitySchedule.ReadWrite.Directory; higher RoleManagement.ReadWrite.Directory, and
      // no Read permission (as the assignment requests' filter); the same PIM read roles
      // (rbac-pim-entra-roles-apis) as the assignment requests' filter.
      eligibility: {
        requests: '/roleManagement/directory/roleEligibilityScheduleRequests',
        shape: ROLE_ELIGIBILITY_REQUEST_SHAPE,
        filter: () => ({
          admin: {
            scopes: ROLE_ELIGIBILITY_FILTER,
            roles: roleFilterByCurrentUser(behaviour()).admin.roles,
          },
        }),
      },
      capped: true,
    },
    // approval-get / approval-filterbycurrentuser / approvalstage-update, PIM for Groups.
    group: {
      approvals: `${pimGroup}/assignmentApprovals`,
      requests: `${pimGroup}/assignmentScheduleRequests`,
      betaOnly: false,
      pim: true,
      read: only(...GROUP_READ),
      write: only(...GROUP_WRITE),
      filter: only(...GROUP_READ),
      // One function answers on='principal' (pimGroups.ts) and on='approver': whichever permission
      // is chosen for it (pimGroupMineScope) holds for both.
      requestFilter: () => only(...(behaviour().pimGroupMineScope === 'Read' ? GROUP_READ : GROUP_WRITE)),
      requestShape: shapes.group,
      // The PIM for Groups eligibility request reads: PrivilegedEligibilitySchedule.Read.AzureADGroup,
      // higher ...ReadWrite.AzureADGroup (privilegedaccessgroup-list-eligibilityschedulerequests).
      eligibility: {
        requests: `${pimGroup}/eligibilityScheduleRequests`,
        shape: GROUP_ELIGIBILITY_REQUEST_SHAPE,
        filter: () =>
          only(
            'PrivilegedEligibilitySchedule.Read.AzureADGroup',
            'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
          ),
      },
      capped: true,
    },
    // The same pages, entitlement management: the approvals filter and PATCH need ReadWrite.All;
    // the requests' own filter Read.All (accesspackageassignmentrequest-filterbycurrentuser, v1.0).
    access: {
      approvals: `${em}/accessPackageAssignmentApprovals`,
      requests: `${em}/assignmentRequests`,
      betaOnly: false,
      pim: false,
      read: only(...EM_READ),
      write: only(...EM_WRITE),
      filter: only(...EM_WRITE),
      requestFilter: only(...EM_READ),
      requestShape: shapes.access,
      capped: false,
    },
  };
}
