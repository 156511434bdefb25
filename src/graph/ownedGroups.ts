// Does the signed-in user own the team's Microsoft 365 group, that is, is the user one of the
// team's owners? (A team is backed by a Microsoft 365 group; the team's owners are the group's
// owners: https://learn.microsoft.com/en-us/graph/api/resources/team.) Asked as the user:
// GET /v1.0/me/ownedObjects?$select=id, the directory objects the user owns
// (https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects). Delegated permission:
// User.Read, least privileged on that page and already registered for checkMemberGroups, where
// GET /groups/{id}/owners would need GroupMember.Read.All. The page documents the plain GET and
// "the OData query parameters" without naming a filter on id or a cast for this relationship, so
// the bot asks only for ids ($select) and looks for the group's id itself, page after page
// (@odata.nextLink, https://learn.microsoft.com/en-us/graph/paging), at most OWNED_PAGES pages
// and OWNED_GROUPS_TIMEOUT_MS in all. Any failure, and a list longer than that bound, is "cannot
// tell" (null): the caller then refuses, it never allows.

import { isGuid } from '../domain/operations';
import { nextPath, objectOf, parseJson } from './pagedFind';
import type { GraphReads } from './graphReads';

/** The whole read, every page and retry included: it decides a click answered in seconds. */
export const OWNED_GROUPS_TIMEOUT_MS = 5_000;
/** Pages read at most (Graph's directory pages hold 100 objects by default). */
export const OWNED_PAGES = 10;

export async function ownsGroup(
  graph: Pick<GraphReads, 'getReading' | 'endpoint'>,
  token: string,
  groupId: string,
  now: () => number = Date.now,
): Promise<boolean | null> {
  // An id that is not a GUID never reaches Graph.
  if (!isGuid(groupId)) return null;
  const wanted = groupId.toLowerCase();
  const deadline = now() + OWNED_GROUPS_TIMEOUT_MS;
  let path: string | null = '/me/ownedObjects';
  let query: Record<string, string> | undefined = { $select: 'id' };
  try {
    for (let page = 0; page < OWNED_PAGES && path !== null; page++) {
      const left = deadline - now();
      if (left <= 0) return null;
      const answer = await graph.getReading('v1.0', path, query, token, left);
      if (answer.status < 200 || answer.status >= 300) return null;
      const body = objectOf(parseJson(answer.bodyText));
      if (!body || !Array.isArray(body.value)) return null;
      if (body.value.some((v) => String(objectOf(v)?.id ?? '').toLowerCase() === wanted)) return true;
      // The next page carries its own query; a link outside this Graph root is never followed
      // with the user's token.
      const next = body['@odata.nextLink'];
      if (next === undefined) return false;
      path = nextPath(graph.endpoint, 'v1.0', next);
      query = undefined;
    }
    return null;
  } catch {
    return null;
  }
}
