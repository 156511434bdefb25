// Entitlement management catalogs: which catalog holds each access package, and who holds which
// entitlement management role on which catalog.
//
// Catalog reader, Catalog owner, Access package manager and Access package assignment manager are
// not directory roles: they are assigned per catalog ("If you have a catalog for all the access
// packages needed by sales, you could assign someone to be responsible for that catalog, by
// assigning them a catalog-specific role":
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-delegate), as a
// unifiedRoleAssignment under roleManagement/entitlementManagement whose appScopeId is
// /AccessPackageCatalog/{catalogId}
// (https://learn.microsoft.com/en-us/graph/api/rbacapplication-post-roleassignments?view=graph-rest-1.0).
// A role held on one catalog gives nothing on the access packages of another.

import type { DemoUser, SeedCatalog } from '../seed';
import type { Caller } from './access';
import { lower, stableId } from './items';

/** The entitlement management roles that exist only on a catalog. */
const CATALOG_ROLES: readonly string[] = [
  'Catalog reader',
  'Access package assignment manager',
  'Access package manager',
  'Catalog owner',
];

/** The id an access package of this name has in the simulated tenant. */
export const packageIdOf = (name: string): string => stableId(`package:${name}`);

export class Catalogs {
  /** Access package id (lower-cased) -> catalog id. */
  private readonly catalogOfPackage = new Map<string, string>();
  /** User id (lower-cased) -> catalog id (lower-cased) -> roles held there. */
  private readonly rolesByUser = new Map<string, Map<string, string[]>>();

  constructor(private readonly userIdByName: (displayName: string) => string | undefined) {}

  /** Replaces every catalog; refuses a seed that names a catalog role as a tenant-wide one. */
  load(catalogs: readonly SeedCatalog[], users: readonly DemoUser[]): void {
    for (const u of users) {
      const wide = (u.roles ?? []).find((r) => CATALOG_ROLES.includes(r));
      if (wide) {
        throw new Error(
          `Seed user ${u.displayName} holds "${wide}" under roles, but it is assigned per catalog: name it in that catalog's roleAssignments instead.`,
        );
      }
    }
    this.catalogOfPackage.clear();
    this.rolesByUser.clear();
    for (const c of catalogs) {
      for (const name of c.accessPackages) {
        const id = lower(packageIdOf(name));
        const other = this.catalogOfPackage.get(id);
        // An access package belongs to exactly one catalog (accessPackage.catalog is single-valued).
        if (other && other !== lower(c.id)) {
          throw new Error(`Seed access package "${name}" is in two catalogs; an access package has one catalog.`);
        }
        this.catalogOfPackage.set(id, lower(c.id));
      }
      for (const a of c.roleAssignments ?? []) {
        if (!CATALOG_ROLES.includes(a.role)) {
          throw new Error(
            `Seed catalog ${c.displayName} assigns "${a.role}"; catalog roles are ${CATALOG_ROLES.join(', ')}.`,
          );
        }
        const userId = this.userIdByName(a.principal);
        if (!userId) throw new Error(`Seed catalog ${c.displayName} assigns a role to unknown user ${a.principal}.`);
        const byCatalog = this.rolesByUser.get(lower(userId)) ?? new Map<string, string[]>();
        byCatalog.set(lower(c.id), [...(byCatalog.get(lower(c.id)) ?? []), a.role]);
        this.rolesByUser.set(lower(userId), byCatalog);
      }
    }
  }

  /** The catalog of an access package, or null for a package no catalog lists. */
  catalogOf(packageId: string): string | null {
    return this.catalogOfPackage.get(lower(packageId)) ?? null;
  }

  /** True when the user holds some catalog role on some catalog (and so may be limited to those). */
  holdsAnyCatalogRole(userId: string): boolean {
    return (this.rolesByUser.get(lower(userId))?.size ?? 0) > 0;
  }

  /**
   * The caller as seen for an item of this catalog: the directory roles they hold everywhere, and
   * the catalog roles they hold on this catalog only (none when the item is in no catalog).
   */
  callerOn(caller: Caller, catalogId: string | null): Caller {
    const here = catalogId ? (this.rolesByUser.get(lower(caller.id))?.get(lower(catalogId)) ?? []) : [];
    return { ...caller, roles: [...caller.roles.filter((r) => !CATALOG_ROLES.includes(r)), ...here] };
  }
}
