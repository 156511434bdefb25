// Who may change which alerts a channel receives: the team's owners or members of a configured
// Entra group. Pure: the handler gathers the facts and asks here.
// A team's owners are the owners of its Microsoft 365 group
// (https://learn.microsoft.com/en-us/graph/api/resources/team), which the bot reads as the person
// (GET /me/ownedObjects, src/graph/ownedGroups.ts). The Teams roster's `userRole` is asked first
// and `owner` is still taken when Teams says it, with no Graph call; but Microsoft documents `user`
// for a regular user and `anonymous` (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context),
// and `guest` for a guest (https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/app-developer-guidance-shared-private-channel),
// and no value for a team's owner: `user` alone never says "not an owner". Only the group's answer
// does; when it cannot be had, the refusal says so and to try again.

export interface SubscriptionAuthority {
  /** Object ids of Entra groups whose members may change subscriptions in any team (may be empty). */
  readonly adminGroupIds: readonly string[];
}

export interface Requester {
  /** `userRole` of the Teams roster member (TeamsInfo.getMember): documented 'user', 'guest', 'anonymous'; 'owner' taken when said; null if unknown. */
  readonly userRole?: string | null;
  /** Object ids of the Entra groups the user belongs to (transitively), when known. */
  readonly aadGroups?: readonly string[] | null;
  /** The group check was needed but could not be made (not signed in, Graph refused or did not
   * answer): still a refusal, but said as "could not check", never as "you are not a member". */
  readonly groupsUnknown?: boolean;
  /** Teams did not tell the user's roster entry (no answer, or an error): they may be an owner, so
   * the refusal says so and to try again, never "ask a team owner". */
  readonly rosterUnknown?: boolean;
  /** What the team's Microsoft 365 group says: the user is one of its owners (true), is not
   * (false), or that could not be told (null: not signed in, no group id, Graph refused or did not
   * answer). Always asked when the roster does not say `owner`: a refusal rests on its answer. */
  readonly groupOwner: boolean | null;
}

export type SubscriptionPermission =
  | { readonly allowed: true; readonly via: 'teamOwner' | 'adminGroup' }
  | { readonly allowed: false; readonly reason: string };

export function mayChangeSubscriptions(requester: Requester, authority: SubscriptionAuthority): SubscriptionPermission {
  if ((requester.userRole ?? '').toLowerCase() === 'owner') return { allowed: true, via: 'teamOwner' };
  if (requester.groupOwner === true) return { allowed: true, via: 'teamOwner' };
  const configured = new Set(authority.adminGroupIds.map((g) => g.toLowerCase()));
  if ((requester.aadGroups ?? []).some((g) => configured.has(g.toLowerCase()))) {
    return { allowed: true, via: 'adminGroup' };
  }
  const who =
    configured.size > 0
      ? "the team's owners and members of the Entra group your administrator chose for alert settings"
      : "the team's owners";
  const groupsAnswered = configured.size === 0 || !requester.groupsUnknown;
  if (requester.rosterUnknown && requester.groupOwner === null) {
    return {
      allowed: false,
      reason:
        `Only ${who} can change which alerts this channel receives. Teams did not tell me your role in this ` +
        'team just now, so I could not check whether you are an owner. Nothing was changed; try again in a minute.',
    };
  }
  if (requester.groupOwner === null) {
    const which = groupsAnswered ? 'whether you own this team' : 'whether you own this team or belong to that group';
    return {
      allowed: false,
      reason:
        `Only ${who} can change which alerts this channel receives. I could not check ${which} just now ` +
        '(you may need to sign in: send me any command in a personal chat first; or Microsoft Graph did not ' +
        'answer). Nothing was changed; try again in a minute.',
    };
  }
  // From here the group answered: the person is not among its owners.
  const guest = (requester.userRole ?? '').toLowerCase() === 'guest';
  const yours = guest
    ? ' Teams lists you as a guest of this team.'
    : " You are not among the owners of this team's Microsoft 365 group.";
  if (configured.size > 0 && requester.groupsUnknown) {
    return {
      allowed: false,
      reason:
        `Only ${who} can change which alerts this channel receives.${yours} I could not check your ` +
        'membership of that group just now (you may need to sign in: send me any command in a personal ' +
        'chat first; or Microsoft Graph did not answer). Nothing was changed; try again in a minute.',
    };
  }
  const ask =
    configured.size > 0
      ? 'Ask a team owner or a member of that group to change them.'
      : 'Ask a team owner to change them.';
  return {
    allowed: false,
    reason: `Only ${who} can change which alerts this channel receives.${yours} ${ask}`,
  };
}
