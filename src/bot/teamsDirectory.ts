// What the bot asks Teams about a team to decide who may change a channel's alerts and which
// channels it has: a member's roster entry, the team's channels and its Microsoft 365 group.
// TeamsInfo by default; tests inject their own.

import { TeamsInfo, TurnContext } from 'botbuilder';
import { TeamChannel } from '../alerts/subscriptions';
import { teamChannels } from './teamChannels';
import { teamGroupId } from './teamGroup';

/** What the bot asks Teams about a team (TeamsInfo by default; tests inject their own). */
export interface TeamsDirectory {
  /** The roster entry of a user in the turn's team ({} when Teams says they are not in it), or null
   * when Teams did not answer. */
  member(ctx: TurnContext, userId: string): Promise<{ readonly userRole?: string } | null>;
  /** Every channel of the team. */
  channels(ctx: TurnContext, teamId: string): Promise<TeamChannel[]>;
  /** The object id of the team's Microsoft 365 group (its owners are the team's), or null when
   * Teams did not tell it. */
  teamGroup(ctx: TurnContext, teamId: string): Promise<string | null>;
}

export const teamsInfoDirectory: TeamsDirectory = {
  member: async (ctx, userId) => {
    try {
      return await TeamsInfo.getMember(ctx, userId);
    } catch (e) {
      // Teams answered that the person is not in the team: known, with no role (refused as not an
      // owner). Anything else (429, 5xx, no answer) leaves the role unknown: null, "try again".
      return notInRoster(e) ? {} : null;
    }
  },
  // With the connector deadline, which TeamsInfo's own channel read would not have (teamChannels.ts).
  channels: (ctx, teamId) => teamChannels(ctx, teamId),
  teamGroup: (ctx, teamId) => teamGroupId(ctx, teamId),
};

/** Teams' answer that the user is not in the conversation's roster: 404, or the code
 * MemberNotFoundInConversation (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-single-member-details). */
function notInRoster(e: unknown): boolean {
  const { statusCode, code } = (e ?? {}) as { statusCode?: unknown; code?: unknown };
  return statusCode === 404 || code === 'MemberNotFoundInConversation';
}
