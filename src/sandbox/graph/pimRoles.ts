// PIM for Microsoft Entra roles: role assignment schedule requests, graph-reference §2, §6.4, §7.

import type { SeedRoleRequest } from '../seed';
import type { UnconfirmedBehaviour } from '../unconfirmed';
import { Policy, ROLES } from './access';
import { getOne, list, lower, stableId, userRef } from './items';
import { ROLE_REQUEST_NESTED, ROLE_REQUEST_PROPERTIES } from './declaredProperties';
import { pimFilterRefusal } from './filterRefusals';
import type { EntityShape } from './odata';
import { cancelPimRequest } from './pimCancel';
import { PIM_MINE, RequestArea, listMine } from './requestArea';
import { ID, Route } from './routes';

const REQUESTS = '/roleManagement/directory/roleAssignmentScheduleRequests';
// Delegated permissions, graph-reference §8 (least first). Reads need ReadWrite too (§7: the
// documented Read.Directory is refused at run time).
const SCOPES = ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'];

/**
 * filterByCurrentUser, on='principal' and on='approver' alike: the page's permission table (least
 * RoleAssignmentSchedule.ReadWrite.Directory; higher RoleManagement.ReadWrite.Directory only: no
 * Read permission is listed, so a token with RoleManagement.Read.Directory alone is refused) and, by default, the PIM read roles its "Important" note
 * requires of the signed-in user (Global Reader, Security Operator, Security Reader, Security
 * Administrator or Privileged Role Administrator). The page makes no exemption for the caller's
 * own requests; the overview's principal scenario may (unconfirmed.ts, pimRoleMineRole)
 * (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0).
 */
export function roleFilterByCurrentUser(b: UnconfirmedBehaviour): Policy {
  return {
    admin: {
      scopes: ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'],
      roles: b.pimRoleMineRole === 'readRole' ? ROLES.pimRolesRead : [],
    },
  };
}

export const ROLE_REQUEST_SHAPE: EntityShape = {
  type: 'microsoft.graph.unifiedRoleAssignmentScheduleRequest',
  navigation: ['roleDefinition', 'principal', 'activatedUsing', 'targetSchedule', 'directoryScope', 'appScope'],
  // The properties whose row on the resource page says "Supports $filter (eq, ne)"
  // (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0);
  // `action` says nothing of $filter.
  filterable: ['id', 'status', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId', 'targetScheduleId'],
  filterRefusal: pimFilterRefusal,
  properties: ROLE_REQUEST_PROPERTIES,
  nestedSelect: ROLE_REQUEST_NESTED,
  // The list and filterByCurrentUser pages list $select, $filter and $expand only: $top, $orderby,
  // $skip, $count and $search are refused (graph-reference §7; the approver filter "doesn't support
  // $top or $skip", microsoftgraph/microsoft-graph-docs#15755).
  collectionOptions: [],
};

/**
 * An eligibility schedule request (an eligible assignment extended or renewed) reads as its own
 * type: its resource page lists no `activatedUsing`, and its `id` row says nothing of $filter
 * (status, principalId, roleDefinitionId, directoryScopeId, appScopeId and targetScheduleId do)
 * (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleeligibilityschedulerequest?view=graph-rest-1.0).
 */
export const ROLE_ELIGIBILITY_REQUEST_SHAPE: EntityShape = {
  type: 'microsoft.graph.unifiedRoleEligibilityScheduleRequest',
  navigation: ['roleDefinition', 'principal', 'targetSchedule', 'directoryScope', 'appScope'],
  filterable: ['status', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId', 'targetScheduleId'],
  filterRefusal: pimFilterRefusal,
  // Its relationships say "Supports $expand" only: no $select nested in them.
  properties: ROLE_REQUEST_PROPERTIES,
  collectionOptions: [],
};

export class PimRoles extends RequestArea<SeedRoleRequest> {
  add(r: SeedRoleRequest): void {
    const principal = userRef(this.d, r.principal);
    const creator = r.createdBy === undefined ? principal : userRef(this.d, r.createdBy);
    const roleDefinition = { id: stableId(`role:${r.roleName}`), displayName: r.roleName };
    this.storeFor(r).set(lower(r.id), {
      '@odata.type': `#microsoft.graph.unifiedRole${r.schedule === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequest`,
      id: r.id,
      status: r.status,
      action: r.action ?? 'selfActivate',
      justification: r.justification,
      principalId: principal.id,
      roleDefinitionId: roleDefinition.id,
      directoryScopeId: '/',
      appScopeId: null,
      createdDateTime: new Date(this.d.now() - (r.ageMinutes ?? 10) * 60_000).toISOString(),
      completedDateTime: null,
      // The approval shares the request's id (§6.7).
      approvalId: r.id,
      isValidationOnly: false,
      // Microsoft's examples give the creator's id with "displayName": null; the name comes with
      // $expand=principal (unifiedroleassignmentschedulerequest-filterbycurrentuser, pim-approval-workflow).
      createdBy: { application: null, device: null, user: { displayName: null, id: creator.id } },
      scheduleInfo: { startDateTime: null, expiration: { type: 'afterDuration', duration: r.duration } },
      nav: {
        roleDefinition,
        principal: { '@odata.type': '#microsoft.graph.user', ...principal },
        directoryScope: null,
        appScope: null,
        activatedUsing: null,
        targetSchedule: null,
      },
      ownerId: principal.id,
      creatorId: creator.id,
      approverIds: (r.approvers ?? []).map((a) => userRef(this.d, a).id),
      throttleOnce: r.throttleOnce ?? false,
    });
  }

  routes(): Route[] {
    const admin = { scopes: SCOPES, roles: ROLES.pimRolesWrite };
    const write = (): Policy =>
      this.d.behaviour().pimSelfCancel === 'allowed' ? { admin, self: { scopes: SCOPES, roles: [] } } : { admin };
    const read: Policy = { admin: { scopes: SCOPES, roles: ROLES.pimRolesRead } };
    return [
      {
        method: 'POST',
        pattern: new RegExp(`^${REQUESTS}/${ID}/cancel$`),
        policy: write,
        itemScoped: true,
        pim: true,
        handle: (c) => cancelPimRequest(this.d, c, this.requests),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${REQUESTS}/filterByCurrentUser\\(on='([^']*)'\\)$`),
        policy: () => roleFilterByCurrentUser(this.d.behaviour()),
        pim: true,
        handle: (c) => listMine(this.d, c, this.requests.values(), { ...PIM_MINE, shape: ROLE_REQUEST_SHAPE }),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${REQUESTS}$`),
        policy: read,
        pim: true,
        handle: (c) => list(this.d, c, [...this.requests.values()], ROLE_REQUEST_SHAPE),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${REQUESTS}/${ID}$`),
        policy: read,
        pim: true,
        handle: (c) => getOne(this.d, c, this.byId(c), 'request', ROLE_REQUEST_SHAPE),
      },
    ];
  }
}
