// Is the signed-in user in one of the Entra groups allowed to change channel alerts? One call,
// as the user: POST /v1.0/me/checkMemberGroups with the configured group ids (at most 20); Graph
// answers the ids among them the user belongs to, transitively. Delegated permission: User.Read
// (https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups). It reads and changes
// nothing, so, though a POST, it is sent again after a 429, 503 or 504 like a read
// (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors), through the
// one Graph chain every call shares (a client-request-id, a deadline, a graph.exchange line).
// Any failure is "cannot tell" (null): the caller then refuses, it never allows.

import type { GraphReads } from './graphReads';

/** The whole check, retries included: it decides a click that must be answered in seconds. */
export const MEMBER_GROUPS_TIMEOUT_MS = 5_000;

export async function checkMemberGroups(
  graph: Pick<GraphReads, 'postReading'>,
  token: string,
  groupIds: readonly string[],
): Promise<string[] | null> {
  if (groupIds.length === 0) return [];
  try {
    const answer = await graph.postReading(
      'v1.0',
      '/me/checkMemberGroups',
      { groupIds: groupIds.slice(0, 20) },
      token,
      MEMBER_GROUPS_TIMEOUT_MS,
    );
    if (answer.status < 200 || answer.status >= 300) return null;
    const body = JSON.parse(answer.bodyText ?? '{}') as { value?: unknown };
    return Array.isArray(body.value) ? body.value.filter((v): v is string => typeof v === 'string') : null;
  } catch {
    return null;
  }
}
