// Who may do what, from the catalog: which permissions a token's scopes satisfy, every delegated
// permission the catalog names (the SSO app registration and the sign-in ask for exactly these),
// and the refusal that says which right was missing for a 403 on a write.

import { GraphEvidence, NotPermittedError } from './errors';
import { CATALOG, OPERATION_NAMES, OperationSpec } from './operations';

/** A permission and the higher ones that also work. */
export interface PermissionSet {
  readonly least: string;
  readonly higher?: readonly string[];
}

/** Whether the token's scopes (its `scp`, split) hold the permission or a higher one. */
export function holds(scopes: readonly string[], p: PermissionSet): boolean {
  return [p.least, ...(p.higher ?? [])].some((name) => scopes.includes(name));
}

/**
 * Delegated permissions the bot uses beyond the catalog's operations: `User.Read` for
 * `POST /me/checkMemberGroups`, the alerts admin group check (src/graph/memberGroups.ts;
 * https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups lists User.Read as least
 * privileged for the signed-in user's own memberships), and for `GET /me/ownedObjects`, the team
 * owner check (src/graph/ownedGroups.ts; User.Read is least privileged on
 * https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects). Without it in the
 * registration, the user's token (asked for with /.default) lacks it and every team owner and
 * group member would be refused.
 */
export const BOT_PERMISSIONS: readonly string[] = ['User.Read'];

/**
 * Every delegated permission the bot asks for, sorted: each write's admin and self-service
 * permission and each read's (admin and self-service), least privileged ones only, and
 * BOT_PERMISSIONS.
 */
export function catalogPermissions(): string[] {
  const names = new Set<string>(BOT_PERMISSIONS);
  for (const name of OPERATION_NAMES) {
    const spec = CATALOG[name];
    names.add(spec.permission.least);
    names.add(spec.read.permission);
    if (spec.selfService) {
      names.add(spec.selfService.permission.least);
      names.add(spec.selfService.read.permission);
    }
  }
  return [...names].sort();
}

export type MissingRight = 'permission' | 'role';

/**
 * Graph refused a write (403). `missing` says what the user lacked, as far as the bot can tell
 * from its own token's scopes and Graph's error code (empty when it cannot); `own` whether the
 * user's own requests hold the item (null when unknown), which decides which way in applied. False
 * says no more than that: Graph refuses a requester the same for someone else's id and for one
 * that exists nowhere, so whether the item exists stays unknown.
 */
export class RightsRefusedError extends NotPermittedError {
  constructor(
    message: string,
    graph: GraphEvidence,
    readonly missing: readonly MissingRight[],
    readonly own: boolean | null = null,
    /**
     * The item is the user's (they are its principal) but someone else created it, as an
     * administrator's assignment names the administrator in createdBy: PIM's self-service is for
     * "a role assignment request they created" (privilegedidentitymanagementv3-overview).
     */
    readonly createdByOther = false,
  ) {
    super(message, graph);
  }

  /** The same refusal, knowing whether the item is the user's own, and whether they created it. */
  withOwnership(own: boolean, createdByOther = false): RightsRefusedError {
    return new RightsRefusedError(this.message, this.graph, this.missing, own, own && createdByOther);
  }
}

/**
 * What a 403 on the write lacked. PIM names a missing permission itself
 * (PermissionScopeNotGranted, graph-reference §10.2); otherwise the token's scopes tell: no
 * permission of any way in means the permission; the admin permission held means the role; only
 * the self-service permission held means someone else's item, which needs both.
 */
export function missingRights(
  spec: OperationSpec,
  scopes: readonly string[] | null,
  graphErrorCode: string | null | undefined,
): MissingRight[] {
  if (graphErrorCode === 'PermissionScopeNotGranted') return ['permission'];
  if (scopes === null) return [];
  const admin = holds(scopes, spec.permission);
  const self = spec.selfService ? holds(scopes, spec.selfService.permission) : false;
  if (admin) return ['role'];
  if (self) return ['permission', 'role'];
  return ['permission'];
}

/** "A (or B, C)": a permission and its higher alternatives, for sentences. */
export function permissionWords(p: PermissionSet): string {
  const higher = p.higher ?? [];
  return higher.length > 0 ? `${p.least} (or ${higher.join(', ')})` : p.least;
}
