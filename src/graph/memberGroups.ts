// Is the signed-in user in one of the Entra groups allowed to change channel alerts? One call,
// as the user: POST /v1.0/me/checkMemberGroups with the configured group ids (at most 20); Graph
// answers the ids among them the user belongs to, transitively. Delegated permission: User.Read
// (https://learn.microsoft.com/en-us/graph/api/user-checkmembergroups). It reads and changes
// nothing. Any failure is "cannot tell" (null): the caller then refuses, it never allows.

import { randomUUID } from 'node:crypto';
import type { FetchLike } from './fetchStep';
import { httpsFetch } from './httpsTransport';

export const MEMBER_GROUPS_TIMEOUT_MS = 5_000;

export async function checkMemberGroups(
  graphEndpoint: string,
  token: string,
  groupIds: readonly string[],
  fetchImpl: FetchLike = httpsFetch(),
): Promise<string[] | null> {
  if (groupIds.length === 0) return [];
  try {
    const res = await fetchImpl(`${graphEndpoint}/v1.0/me/checkMemberGroups`, {
      method: 'POST',
      // A fresh client-request-id, as on every Graph call (Graph echoes it for support cases).
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'client-request-id': randomUUID(),
      },
      body: JSON.stringify({ groupIds: groupIds.slice(0, 20) }),
      signal: AbortSignal.timeout(MEMBER_GROUPS_TIMEOUT_MS),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { value?: unknown };
    return Array.isArray(body.value) ? body.value.filter((v): v is string => typeof v === 'string') : null;
  } catch {
    return null;
  }
}
