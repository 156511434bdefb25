// The directory's groups, and the one question the bot asks about them: which of these groups is
// the signed-in user in? POST /v1.0/me/checkMemberGroups, as
// https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups documents it: a body
// {"groupIds": [...]} of at most 20 group ids, answered with {"value": [...]}, the ids among them
// the user belongs to, directly or through nested groups (the function is transitive). The whole
// request fails when it is invalid (a malformed id, say); unknown properties are refused too, as
// OData refuses parameters an action does not declare.

import type { Envelope, SimResponse } from '../envelope';
import type { SeedGroup } from '../seed';
import { forbidden } from './access';
import { lower } from './items';
import { ownedObjectsRoutes } from './ownedObjects';
import type { Ctx, Route } from './routes';
import { undeclaredParameter } from './undeclared';

/** "You can check up to a maximum of 20 groups per request." */
export const CHECK_MEMBER_GROUPS_MAX = 20;

/**
 * The delegated ways in for the signed-in user's own memberships (the page's table "Group
 * memberships for the signed-in user", least privileged first): each way is a set of permissions
 * the token must hold together.
 */
const OWN_MEMBERSHIP_GRANTS: ReadonlyArray<readonly string[]> = [
  ['User.Read'],
  ['User.ReadBasic.All', 'GroupMember.Read.All'],
  ['User.Read.All', 'GroupMember.Read.All'],
  ['User.ReadBasic.All', 'Group.Read.All'],
  ['User.Read.All', 'Group.Read.All'],
  ['Directory.Read.All'],
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface GroupRow {
  readonly id: string;
  readonly displayName: string;
  /** Object ids (lower-cased) of the direct members: users or other groups. */
  readonly members: ReadonlySet<string>;
  /** Object ids (lower-cased) of the owners. */
  readonly owners: ReadonlySet<string>;
}

export class Directory {
  private readonly groups = new Map<string, GroupRow>();

  constructor(private readonly envelope: Envelope) {}

  /** Replaces every group. */
  load(groups: readonly SeedGroup[]): void {
    this.groups.clear();
    for (const g of groups) {
      this.groups.set(lower(g.id), {
        id: g.id,
        displayName: g.displayName,
        members: new Set(g.members.map(lower)),
        owners: new Set((g.owners ?? []).map(lower)),
      });
    }
  }

  /** The groups the object owns directly (ownership is not transitive), in seed order. */
  ownedBy(objectId: string): Array<{ readonly id: string; readonly displayName: string }> {
    const key = lower(objectId);
    return [...this.groups.values()]
      .filter((g) => g.owners.has(key))
      .map((g) => ({ id: g.id, displayName: g.displayName }));
  }

  /** Ids (lower-cased) of every group the object is in, directly or through nested groups. */
  transitiveGroupsOf(objectId: string): Set<string> {
    const found = new Set<string>();
    let frontier = [lower(objectId)];
    // Breadth first over "is a member of"; `found` also stops a cycle of groups.
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const member of frontier) {
        for (const [key, group] of this.groups) {
          if (!found.has(key) && group.members.has(member)) {
            found.add(key);
            next.push(key);
          }
        }
      }
      frontier = next;
    }
    return found;
  }

  routes(): Route[] {
    return [
      {
        method: 'POST',
        // The action may be called with its namespace, as every bound action of Graph.
        pattern: /^\/me\/(?:microsoft\.graph\.)?checkMemberGroups$/,
        // Any permission of any way in passes the token check; the handler checks the pairs.
        policy: { admin: { scopes: [...new Set(OWN_MEMBERSHIP_GRANTS.flat())], roles: [] } },
        handle: (c) => this.checkMemberGroups(c),
      },
      ...ownedObjectsRoutes(this, this.envelope),
    ];
  }

  private checkMemberGroups(c: Ctx): SimResponse {
    const envelope = this.envelope;
    const held = OWN_MEMBERSHIP_GRANTS.some((way) => way.every((p) => c.caller.scopes.includes(p)));
    if (!held)
      return forbidden(c.req, envelope, { missing: 'scope', grant: { scopes: ['User.Read'], roles: [] } }, false);
    const parsed = parseGroupIds(c.body);
    if (!parsed.ok) return envelope.error(c.req, 400, 'Request_BadRequest', parsed.message);
    const mine = this.transitiveGroupsOf(c.caller.id);
    const value: string[] = [];
    for (const id of parsed.groupIds) {
      const group = this.groups.get(lower(id));
      if (group && mine.has(lower(id)) && !value.includes(group.id)) value.push(group.id);
    }
    return envelope.json(c.req, 200, {
      '@odata.context': `https://graph.microsoft.com/${c.version}/$metadata#Collection(Edm.String)`,
      value,
    });
  }
}

type Parsed = { ok: true; groupIds: string[] } | { ok: false; message: string };

/** The action's one parameter, groupIds: a collection of group ids (GUIDs), at most 20. */
function parseGroupIds(body: unknown): Parsed {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, message: 'The request body must be a JSON object with groupIds.' };
  }
  const undeclared = undeclaredParameter(body, ['groupIds'], 'checkMemberGroups');
  if (undeclared !== null) return { ok: false, message: undeclared };
  const ids = (body as { groupIds?: unknown }).groupIds;
  if (!Array.isArray(ids)) return { ok: false, message: "The parameter 'groupIds' must be a collection of strings." };
  if (ids.length > CHECK_MEMBER_GROUPS_MAX) {
    return { ok: false, message: `At most ${CHECK_MEMBER_GROUPS_MAX} group ids can be checked in one request.` };
  }
  const bad = ids.find((id) => typeof id !== 'string' || !GUID.test(id));
  if (bad !== undefined) return { ok: false, message: `Invalid object identifier '${String(bad)}'.` };
  return { ok: true, groupIds: ids as string[] };
}
