// PIM for Groups: group assignment schedule requests, graph-reference §3, §6.5, §7.

import type { SeedGroup, SeedGroupRequest } from '../seed';
import { Policy, ROLES } from './access';
import { Row, getOne, list, lower, stableId, userRef } from './items';
import { GROUP_NESTED, GROUP_REQUEST_PROPERTIES, PRINCIPAL_ID_ONLY } from './declaredProperties';
import { pimFilterRefusal } from './filterRefusals';
import type { EntityShape } from './odata';
import { cancelPimRequest } from './pimCancel';
import { PimGroupKinds } from './pimGroupKinds';
import { PIM_MINE, RequestArea, listMine } from './requestArea';
import { ID, Route } from './routes';

const REQUESTS = '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
// Delegated permissions, graph-reference §8 (least first).
const WRITE = ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];
const READ = ['PrivilegedAssignmentSchedule.Read.AzureADGroup', 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];

export const GROUP_REQUEST_SHAPE: EntityShape = {
  type: 'microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest',
  navigation: ['group', 'principal', 'activatedUsing', 'targetSchedule'],
  // "Supports $filter (eq, ne)" on the resource page: id, status, principalId, targetScheduleId
  // (https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0);
  // groupId with eq, as the list page requires it
  // (https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroup-list-assignmentschedulerequests?view=graph-rest-1.0).
  // `action` and `accessId` say nothing of $filter.
  filterable: ['id', 'status', 'principalId', 'targetScheduleId', 'groupId'],
  eqOnly: ['groupId'],
  filterRefusal: pimFilterRefusal,
  properties: GROUP_REQUEST_PROPERTIES,
  // group: nested $select "for select properties like id, displayName, and mail"; principal: "for
  // id only"; activatedUsing and targetSchedule: $expand only.
  nestedSelect: { group: GROUP_NESTED, principal: PRINCIPAL_ID_ONLY },
  // The list and filterByCurrentUser pages list $select, $filter and $expand only: $top, $orderby,
  // $skip, $count and $search are refused (graph-reference §7; the approver filter "doesn't support
  // $top or $skip", microsoftgraph/microsoft-graph-docs#15755).
  collectionOptions: [],
};

/**
 * A PIM for Groups eligibility schedule request: group, principal and targetSchedule, no
 * `activatedUsing`; `id` and `status` "Supports $filter (eq, ne)" (createdBy too, not modelled)
 * (https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupeligibilityschedulerequest?view=graph-rest-1.0).
 */
export const GROUP_ELIGIBILITY_REQUEST_SHAPE: EntityShape = {
  type: 'microsoft.graph.privilegedAccessGroupEligibilityScheduleRequest',
  navigation: ['group', 'principal', 'targetSchedule'],
  filterable: ['id', 'status'],
  filterRefusal: pimFilterRefusal,
  properties: GROUP_REQUEST_PROPERTIES,
  nestedSelect: { group: GROUP_NESTED, principal: PRINCIPAL_ID_ONLY },
  collectionOptions: [],
};

export class PimGroups extends RequestArea<SeedGroupRequest> {
  private readonly groups = new PimGroupKinds();

  /** The directory's groups, before the requests that name them. */
  loadGroups(groups: readonly SeedGroup[]): void {
    this.groups.load(groups);
  }

  add(r: SeedGroupRequest): void {
    const principal = userRef(this.d, r.principal);
    const creator = r.createdBy === undefined ? principal : userRef(this.d, r.createdBy);
    const seeded = this.groups.named(r.groupName);
    const group = { id: seeded?.id ?? stableId(`group:${r.groupName}`), displayName: r.groupName };
    this.storeFor(r).set(lower(r.id), {
      '@odata.type': `#microsoft.graph.privilegedAccessGroup${r.schedule === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequest`,
      id: r.id,
      status: r.status,
      accessId: r.accessId,
      action: r.action ?? 'selfActivate',
      groupId: group.id,
      principalId: principal.id,
      justification: r.justification,
      createdDateTime: new Date(this.d.now() - (r.ageMinutes ?? 10) * 60_000).toISOString(),
      completedDateTime: null,
      approvalId: r.id,
      isValidationOnly: false,
      // As for PIM role requests: the creator's id only; the name comes with $expand=principal.
      createdBy: { application: null, device: null, user: { displayName: null, id: creator.id } },
      targetScheduleId: `${group.id}_${r.accessId}_${r.id}`,
      scheduleInfo: { startDateTime: null, expiration: { type: 'afterDuration', duration: r.duration } },
      nav: {
        group: { '@odata.type': '#microsoft.graph.group', ...group, mail: null },
        principal: { '@odata.type': '#microsoft.graph.user', ...principal },
        activatedUsing: null,
        targetSchedule: null,
      },
      ownerId: principal.id,
      creatorId: creator.id,
      approverIds: (r.approvers ?? []).map((a) => userRef(this.d, a).id),
      // The group's kind is the group's: the seed's, else the request's word for it.
      isRoleAssignable: seeded?.isRoleAssignable ?? r.isRoleAssignable ?? false,
      throttleOnce: r.throttleOnce ?? false,
    });
  }

  routes(): Route[] {
    // Role-assignable groups ask for Privileged Role Administrator; others for a groups role (§3).
    const writeFor = (item: Row | undefined): Policy => {
      const admin = {
        scopes: WRITE,
        roles: item?.isRoleAssignable ? ROLES.pimGroupsRoleAssignableWrite : ROLES.pimGroupsWrite,
      };
      return this.d.behaviour().pimSelfCancel === 'allowed' ? { admin, self: { scopes: WRITE, roles: [] } } : { admin };
    };
    // "The calling user must also be the owner or member of the group or be assigned one of the
    // following Microsoft Entra roles" (the list and get pages' rbac include): an owner or member
    // needs the read permission and no role (the `self` way in, with `own` from isReader).
    const readFor = (item: Readonly<Record<string, unknown>> | undefined): Policy => ({
      admin: {
        scopes: READ,
        roles: item?.isRoleAssignable ? ROLES.pimGroupsRoleAssignableRead : ROLES.pimGroupsRead,
      },
      self: { scopes: READ, roles: [] },
    });
    const isReader = (c: { caller: { id: string } }, groupId: unknown): boolean =>
      this.groups.withId(String(groupId ?? ''))?.ownersAndMembers.has(lower(c.caller.id)) ?? false;
    const mine = (): Policy => ({
      admin: { scopes: this.d.behaviour().pimGroupMineScope === 'Read' ? READ : WRITE, roles: [] },
    });
    return [
      {
        method: 'POST',
        pattern: new RegExp(`^${REQUESTS}/${ID}/cancel$`),
        policy: () => writeFor(undefined),
        itemScoped: true,
        pim: true,
        handle: (c) => cancelPimRequest(this.d, c, this.requests, writeFor),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${REQUESTS}/filterByCurrentUser\\(on='([^']*)'\\)$`),
        policy: mine,
        pim: true,
        handle: (c) => listMine(this.d, c, this.requests.values(), { ...PIM_MINE, shape: GROUP_REQUEST_SHAPE }),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${REQUESTS}$`),
        policy: readFor(undefined),
        // The roles depend on the groups listed: checked in the handler.
        itemScoped: true,
        pim: true,
        handle: (c) => {
          // The list must be scoped with $filter (eq) on groupId or principalId (§7).
          const f = c.query.get('$filter') ?? '';
          if (!/\b(groupId|principalId)\s+eq\s+'/i.test(f)) {
            return this.d.envelope.error(
              c.req,
              400,
              'BadRequest',
              "The request must filter on groupId or principalId, e.g. $filter=groupId eq '{groupId}'.",
            );
          }
          const readable = (row: Row) => c.permit(isReader(c, row.groupId), readFor(row)) === null;
          const rows = [...this.requests.values()];
          // The list page names the roles per kind of group (role-assignable: Global Reader or
          // Privileged Role Administrator; other groups: five roles,
          // https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedulerequests).
          // A list of one group is a read of that group: refused (403) as the get of one of its
          // requests is. A list by principal spans groups and the page names no refusal for it:
          // the rows of groups the caller may not read are left out, so it never shows more than
          // the per-group reads would; a caller who may read no group at all is refused.
          const groupId = /\bgroupId\s+eq\s+'([^']*)'/i.exec(f)?.[1];
          if (groupId !== undefined) {
            // The group's kind from the group (the seed), not from a request row: a group with
            // no requests keeps its kind.
            const kind =
              this.groups.withId(groupId)?.isRoleAssignable ??
              rows.some((r) => lower(String(r.groupId)) === lower(groupId) && r.isRoleAssignable === true);
            const refused = c.permit(isReader(c, groupId), readFor({ isRoleAssignable: kind }));
            if (refused) return refused;
          } else {
            const noGroup = c.permit(false, readFor(undefined));
            const inAny = rows.some((r) => isReader(c, r.groupId));
            if (noGroup && !inAny && c.permit(false, readFor({ isRoleAssignable: true }))) return noGroup;
          }
          return list(this.d, c, rows.filter(readable), GROUP_REQUEST_SHAPE);
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${REQUESTS}/${ID}$`),
        policy: readFor(undefined),
        itemScoped: true,
        pim: true,
        handle: (c) => {
          const item = this.byId(c);
          const refused = c.permit(isReader(c, item?.groupId), readFor(item));
          return refused ?? getOne(this.d, c, item, 'request', GROUP_REQUEST_SHAPE);
        },
      },
    ];
  }
}
