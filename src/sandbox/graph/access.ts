// Who may make a Graph call: the delegated permission in the token AND the Entra (or entitlement
// management) role of the signed-in user, as the permission and role tables of each API page say
// (graph-reference.md §2-§5, §8). Self-service calls (a requester cancelling or reading their own
// request) name their own permissions and need no role.

import type { Envelope, SimRequest, SimResponse } from '../envelope';

/** One way to be allowed: any of these delegated permissions, and any of these roles (none: no role). */
export interface Grant {
  /** Delegated permissions that work, least privileged first. */
  readonly scopes: readonly string[];
  /** Roles that work, least privileged first; empty when the docs ask for none. */
  readonly roles: readonly string[];
}

export interface Policy {
  /** Acting on anyone's item. */
  readonly admin: Grant;
  /** Acting on the caller's own item, when the docs allow it. */
  readonly self?: Grant;
}

/** The signed-in user as the token and the directory describe them. */
export interface Caller {
  readonly id: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
}

/** Global Administrator holds every built-in role's permissions. */
const ALL_ROLES = 'Global Administrator';

function hasScope(caller: Caller, scopes: readonly string[]): boolean {
  return scopes.some((s) => caller.scopes.includes(s));
}

function hasRole(caller: Caller, roles: readonly string[]): boolean {
  return roles.length === 0 || caller.roles.includes(ALL_ROLES) || roles.some((r) => caller.roles.includes(r));
}

function meets(caller: Caller, g: Grant): boolean {
  return hasScope(caller, g.scopes) && hasRole(caller, g.roles);
}

/** Every permission that opens at least one way in (the token-level check before any lookup). */
export function anyScope(p: Policy): readonly string[] {
  return [...new Set([...(p.self?.scopes ?? []), ...p.admin.scopes])];
}

export interface Denial {
  readonly missing: 'scope' | 'role';
  readonly grant: Grant;
}

/** Null when allowed; otherwise what was missing for the admin way in. */
export function check(caller: Caller, p: Policy, own: boolean): Denial | null {
  if (own && p.self && meets(caller, p.self)) return null;
  if (meets(caller, p.admin)) return null;
  return { missing: hasScope(caller, p.admin.scopes) ? 'role' : 'scope', grant: p.admin };
}

/**
 * The 403 Graph sends: PIM answers a missing permission with `UnknownError` and a JSON string as the
 * message; everything else (and a missing role) is the directory's Authorization_RequestDenied
 * (graph-reference §10.2).
 */
export function forbidden(req: SimRequest, envelope: Envelope, denial: Denial, pim: boolean): SimResponse {
  if (pim && denial.missing === 'scope') {
    const inner = JSON.stringify({
      errorCode: 'PermissionScopeNotGranted',
      message: `Authorization failed due to missing permission scope ${denial.grant.scopes.join(',')}.`,
      instanceAnnotations: [],
    });
    return envelope.error(req, 403, 'UnknownError', inner);
  }
  return envelope.error(req, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

// The roles each area's pages name (least privileged first).
export const ROLES = {
  pimRolesRead: [
    'Global Reader',
    'Security Operator',
    'Security Reader',
    'Security Administrator',
    'Privileged Role Administrator',
  ],
  pimRolesWrite: ['Privileged Role Administrator'],
  pimGroupsRoleAssignableRead: ['Global Reader', 'Privileged Role Administrator'],
  pimGroupsRoleAssignableWrite: ['Privileged Role Administrator'],
  pimGroupsRead: [
    'Global Reader',
    'Directory Writer',
    'Groups Administrator',
    'Identity Governance Administrator',
    'User Administrator',
  ],
  pimGroupsWrite: [
    'Directory Writer',
    'Groups Administrator',
    'Identity Governance Administrator',
    'User Administrator',
  ],
  // Entitlement management: the first four of emRead (three of emWrite) are catalog roles, which
  // count only on the catalog of the item's access package (catalogs.ts); Global Reader, Security
  // Reader and Identity Governance Administrator are directory roles, tenant-wide.
  emRead: [
    'Catalog reader',
    'Access package assignment manager',
    'Access package manager',
    'Catalog owner',
    'Global Reader',
    'Security Reader',
    'Identity Governance Administrator',
  ],
  emWrite: [
    'Access package assignment manager',
    'Access package manager',
    'Catalog owner',
    'Identity Governance Administrator',
  ],
  lcwRead: ['Global Reader', 'Lifecycle Workflows Administrator'],
  lcwWrite: ['Lifecycle Workflows Administrator'],
} as const;
