// Who created a PIM request, which decides whether its principal may cancel it without an
// administrator role: Graph lets a principal cancel only "a role assignment request they created"
// (and "a membership or ownership assignment request they created"):
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview?view=graph-rest-1.0
// createdBy is an identitySet ("The principal that created this request"): a user's id under
// `user`, or, for a request an application made with its own rights, an `application` and no user
// (https://learn.microsoft.com/en-us/graph/api/resources/identityset?view=graph-rest-1.0). The "my
// requests" row and the refused cancel's card read it through the same rule, so they cannot differ.

/** The creator named by a request's createdBy: `user:<id>` or `application:<id>`, null when none. */
export function creatorOf(createdBy: unknown): string | null {
  const set = createdBy && typeof createdBy === 'object' ? (createdBy as Record<string, unknown>) : {};
  const idOf = (key: string): string | null => {
    const who = set[key];
    const id = who && typeof who === 'object' ? (who as Record<string, unknown>).id : undefined;
    return typeof id === 'string' && id !== '' ? id : null;
  };
  const user = idOf('user');
  if (user) return `user:${user}`;
  const app = idOf('application');
  return app ? `application:${app}` : null;
}

/** Whether `creator` (creatorOf's, or a bare user id kept by an earlier version) names someone
 * other than the user `userId`. No creator says no: the Cancel stays, as before creators were read. */
export function createdByAnother(creator: string | null | undefined, userId: string): boolean {
  if (typeof creator !== 'string' || creator === '') return false;
  const id = creator.includes(':') ? creator : `user:${creator}`;
  return id.toLowerCase() !== `user:${userId}`.toLowerCase();
}
