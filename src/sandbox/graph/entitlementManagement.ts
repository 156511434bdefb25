// Entitlement management: access package assignment requests, graph-reference §4, §6.6, §7.

import type { SimResponse } from '../envelope';
import type { SeedAccessRequest } from '../seed';
import { Policy, ROLES, check, forbidden } from './access';
import { Catalogs, packageIdOf } from './catalogs';
import { EM_PAGE_SIZE, Row, getOne, list, lower, stableId, unknownRequest, userRef } from './items';
import { entitlementManagementFilterRefusal } from './filterRefusals';
import { ACCESS_REQUEST_PROPERTIES, BETA_ACCESS_REQUEST_PROPERTIES } from './declaredProperties';
import { EntityShape, parseQuery } from './odata';
import { RequestArea, listMine } from './requestArea';
import { Ctx, ID, Route, Version } from './routes';
import { unknownProperty } from './undeclared';

const EM = '/identityGovernance/entitlementManagement';
// Cancellable states, graph-reference §4.
const EM_CANCELLABLE = ['submitted', 'pendingapproval', 'scheduled'];
const SUBJECT = 'EntitlementMgmt-SubjectAccess.ReadWrite';
const READ_ALL = 'EntitlementManagement.Read.All';
const WRITE_ALL = 'EntitlementManagement.ReadWrite.All';

export const ACCESS_REQUEST_SHAPE: EntityShape = {
  type: 'microsoft.graph.accessPackageAssignmentRequest',
  navigation: ['accessPackage', 'requestor', 'assignment'],
  // The resource page: state "Supports $filter (eq)", createdDateTime "Supports $filter"; id,
  // status and requestType say nothing of $filter
  // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0).
  // The list page adds accessPackage/id eq
  // (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentrequests?view=graph-rest-1.0).
  filterable: ['state', 'createdDateTime', 'accessPackage/id'],
  eqOnly: ['state', 'accessPackage/id'],
  filterRefusal: entitlementManagementFilterRefusal,
  evolvable: { requestType: ['approverRemove'] },
  // Its relationships say "Supports $expand" only: no $select nested in them.
  properties: ACCESS_REQUEST_PROPERTIES,
  // The list page: "This method supports the $select, $expand and $filter OData query parameters"
  // (an older revision named $expand and $filter only); the filterByCurrentUser page names none:
  // $top, $orderby, $skip, $count and $search are refused (the collection pages by @odata.nextLink).
  collectionOptions: [],
};

// Who may do what (§4, §8): requesters act on their own requests with the subject permission and
// no role; administrators need EntitlementManagement.* and an entitlement management role, a
// catalog role counting only for requests of an access package in that catalog (catalogs.ts).
const CANCEL: Policy = {
  admin: { scopes: [WRITE_ALL], roles: ROLES.emWrite },
  self: { scopes: [SUBJECT, WRITE_ALL], roles: [] },
};
const READ: Policy = { admin: { scopes: [READ_ALL, WRITE_ALL], roles: ROLES.emRead } };
const MINE: Policy = { admin: { scopes: [SUBJECT, READ_ALL, WRITE_ALL], roles: [] } };

export class EntitlementManagement extends RequestArea<SeedAccessRequest> {
  readonly catalogs = new Catalogs((name) => this.d.userByName(name)?.id);

  add(r: SeedAccessRequest): void {
    const requestor = userRef(this.d, r.requestor);
    const user = this.d.userByName(r.requestor);
    const accessPackage = { id: packageIdOf(r.accessPackageName), displayName: r.accessPackageName };
    this.requests.set(lower(r.id), {
      id: r.id,
      state: r.state,
      status: r.status,
      requestType: r.requestType,
      justification: r.justification ?? null,
      createdDateTime: new Date(this.d.now() - (r.ageMinutes ?? 10) * 60_000).toISOString(),
      completedDateTime: null,
      schedule: { startDateTime: null, expiration: { type: 'notSpecified', endDateTime: null, duration: null } },
      nav: {
        accessPackage,
        requestor: {
          id: stableId(`subject:${requestor.id}`),
          objectId: requestor.id,
          displayName: requestor.displayName,
          principalName: user?.userPrincipalName ?? null,
          email: user?.userPrincipalName ?? null,
          subjectType: 'user',
        },
        assignment: null,
      },
      ownerId: requestor.id,
      approverIds: (r.approvers ?? []).map((a) => userRef(this.d, a).id),
      throttleOnce: r.throttleOnce ?? false,
    });
  }

  routes(): Route[] {
    return [
      {
        method: 'POST',
        pattern: new RegExp(`^${EM}/assignmentRequests/${ID}/cancel$`),
        policy: CANCEL,
        itemScoped: true,
        available: (v) => this.cancelOffered(v),
        handle: (c) => this.cancel(c),
      },
      {
        // The beta-only older name of the same collection.
        method: 'POST',
        pattern: new RegExp(`^${EM}/accessPackageAssignmentRequests/${ID}/cancel$`),
        policy: CANCEL,
        itemScoped: true,
        betaOnly: true,
        available: (v) => this.cancelOffered(v),
        handle: (c) => this.cancel(c),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${EM}/assignmentRequests/filterByCurrentUser\\(on='([^']*)'\\)$`),
        policy: MINE,
        // on: target (requests for the caller), createdBy (made by the caller), approver (awaiting the caller).
        handle: (c) =>
          listMine(this.d, c, this.requests.values(), {
            own: ['target', 'createdBy'],
            waitingField: 'state',
            shape: ACCESS_REQUEST_SHAPE,
            pageSize: EM_PAGE_SIZE,
          }),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${EM}/assignmentRequests$`),
        policy: READ,
        itemScoped: true,
        handle: (c) => this.listAll(c),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${EM}/assignmentRequests/${ID}$`),
        policy: READ,
        itemScoped: true,
        handle: (c) => {
          const item = this.byId(c);
          // An unknown id has no catalog: only a directory role learns that it does not exist.
          const refused = this.permit(c, READ, false, item);
          return refused ?? getOne(this.d, c, item, 'request', ACCESS_REQUEST_SHAPE);
        },
      },
    ];
  }

  /**
   * The v1.0 cancel is offered in all four clouds; the beta one in the global service and China
   * only, not in US Government L4 or L5 (graph-reference §4, §9; the beta page's national cloud
   * table: https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-beta).
   */
  private cancelOffered(version: Version): boolean {
    return version === 'v1.0' || this.d.cloud === 'global' || this.d.cloud === 'china';
  }

  private cancel(c: Ctx): SimResponse {
    const { envelope } = this.d;
    const item = this.byId(c);
    const refused = this.permit(c, CANCEL, item !== undefined && item.ownerId === c.caller.id, item);
    if (refused) return refused;
    if (!item) return unknownRequest(this.d, c.req);
    if (c.version === 'v1.0' && c.body !== undefined) {
      // v1.0: "Do not supply a request body"; beta accepts {id, requestStatus: "cancelled"}.
      return envelope.error(c.req, 400, 'BadRequest', 'This action does not take a request body.');
    }
    if (c.version === 'beta') {
      // The body is "a JSON representation of an accessPackageAssignmentRequest object": JSON that
      // is no object (null, an array, a string) binds to no entity, whoever sends it.
      if (c.body !== undefined && (c.body === null || typeof c.body !== 'object' || Array.isArray(c.body))) {
        return envelope.error(
          c.req,
          400,
          'BadRequest',
          'The request body must be an accessPackageAssignmentRequest object.',
        );
      }
      // beta: "For a non-administrator user to cancel their own request, the request must contain
      // the id of the accessPackageAssignmentRequest and a requestStatus with a value of cancelled"
      // (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-beta).
      // The body is "a JSON representation of an accessPackageAssignmentRequest object": a name
      // the type does not have is refused as OData refuses it; its other properties are accepted
      // and ignored (no page says Graph refuses them).
      const undeclared = unknownProperty(
        c.body,
        BETA_ACCESS_REQUEST_PROPERTIES,
        'microsoft.graph.accessPackageAssignmentRequest',
      );
      if (undeclared !== null) return envelope.error(c.req, 400, 'BadRequest', undeclared);
      const b = (c.body ?? {}) as { id?: unknown; requestStatus?: unknown };
      const admin = check(this.catalogs.callerOn(c.caller, this.catalogOfRow(item)), CANCEL, false) === null;
      const named = lower(String(b.id ?? '')) === lower(String(item.id)) && b.requestStatus !== undefined;
      if (!admin && !named) {
        return envelope.error(
          c.req,
          400,
          'BadRequest',
          'To cancel your own request, send its id and a requestStatus of cancelled.',
        );
      }
      if (b.requestStatus !== undefined && lower(String(b.requestStatus)) !== 'cancelled') {
        return envelope.error(c.req, 400, 'BadRequest', 'requestStatus must be cancelled.');
      }
    }
    if (!EM_CANCELLABLE.includes(lower(String(item.state)))) {
      const conflict = this.d.behaviour().emNotCancellable === 'Conflict';
      return envelope.error(
        c.req,
        conflict ? 409 : 400,
        conflict ? 'Conflict' : 'BadRequest',
        'The access package assignment request cannot be cancelled in its current state.',
      );
    }
    const throttled = this.d.faults.throttleOnce(c.req, item);
    if (throttled) return throttled;
    item.state = 'canceled';
    item.status = 'Canceled';
    item.completedDateTime = new Date(this.d.now()).toISOString();
    return envelope.ok(c.req, 200);
  }

  /** The catalog of a request's access package (null: in no catalog, or no such request). */
  private catalogOfRow(item: Row | undefined): string | null {
    const pkg = (item?.nav as { accessPackage?: { id?: string } } | undefined)?.accessPackage;
    return pkg?.id ? this.catalogs.catalogOf(pkg.id) : null;
  }

  /** Null when the caller may act on this request: own, a directory role, or a role on its catalog. */
  private permit(c: Ctx, policy: Policy, own: boolean, item: Row | undefined): SimResponse | null {
    const denial = check(this.catalogs.callerOn(c.caller, this.catalogOfRow(item)), policy, own);
    return denial ? forbidden(c.req, this.d.envelope, denial, false) : null;
  }

  /**
   * The list: "all the assignment requests ... that the caller has access to read, across all
   * catalogs", and "If the user or application only has permissions within a specific catalog or
   * catalogs, you must include in the query a filter which specifies an access package, such as
   * $expand=accessPackage&$filter=accessPackage/id eq '…'"
   * (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentrequests?view=graph-rest-1.0).
   * A catalog-only caller without that filter, or naming a package of another catalog, is refused
   * with 403: the page names no status; the same limit on list assignments answers 403
   * (https://techcommunity.microsoft.com/idea/microsoft365developerplatform/graph-api-allow-catalogid-filter-on-accesspackageassignments/3074410).
   */
  private listAll(c: Ctx): SimResponse {
    const all = (): SimResponse => list(this.d, c, [...this.requests.values()], ACCESS_REQUEST_SHAPE, EM_PAGE_SIZE);
    const tenantWide = this.permit(c, READ, false, undefined);
    if (!tenantWide) return all();
    if (!this.catalogs.holdsAnyCatalogRole(c.caller.id)) return tenantWide;
    const parsed = parseQuery(c.query, c.req.headers, ACCESS_REQUEST_SHAPE);
    if (!parsed.ok) return all(); // the 400 for the query comes first
    const named = parsed.query.filter.find(
      (f) => f.op === 'eq' && f.path.join('/').toLowerCase() === 'accesspackage/id',
    );
    const catalog = named ? this.catalogs.catalogOf(named.value) : null;
    const denial = check(this.catalogs.callerOn(c.caller, catalog), READ, false);
    return denial ? forbidden(c.req, this.d.envelope, denial, false) : all();
  }
}
