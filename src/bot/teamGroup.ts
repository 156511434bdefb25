// The object id of the Microsoft 365 group behind the turn's team, whose owners are the team's
// owners. Teams sends it as `channelData.team.aadGroupId` in team events
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
// but a channel message or a card click may name only the team's id; then it is asked of Teams:
// the team's details (TeamsInfo.getTeamDetails, `aadGroupId`,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-teams-details),
// with the connector deadline and retry TeamsInfo's own client would not have (teamChannels.ts).

import type { TurnContext } from 'botbuilder';
import { ConnectorClient, TeamsConnectorClient } from 'botframework-connector';
import { isGuid } from '../domain/operations';
import { withDeadline } from './connectorDeadline';
import { fitRetry } from './connectorRetry';

/** Teams' answer is waited for at most this long: the Graph read that needs it comes after it, and
 * both must fit a Save click's budget (alertSave.ts). */
export const TEAM_GROUP_DEADLINE_MS = 3_000;

/** The group id the activity carries, when it is a GUID. */
export function groupIdOfTurn(ctx: TurnContext): string | null {
  const team = (ctx.activity.channelData as { team?: { aadGroupId?: unknown } } | undefined)?.team;
  const id = team?.aadGroupId;
  return isGuid(id) ? id : null;
}

/** The team's group id, from the activity or else from Teams; null when Teams did not tell it. */
export async function teamGroupId(
  ctx: TurnContext,
  teamId: string,
  deadlineMs: number = TEAM_GROUP_DEADLINE_MS,
): Promise<string | null> {
  const carried = groupIdOfTurn(ctx);
  if (carried) return carried;
  try {
    const connector = ctx.turnState.get<ConnectorClient | undefined>(ctx.adapter.ConnectorClientKey);
    if (!connector) return null;
    const client = new TeamsConnectorClient(connector.credentials, { baseUri: ctx.activity.serviceUrl });
    const teams = withDeadline(fitRetry(client, 'turn', deadlineMs), deadlineMs);
    const details = await teams.teams.fetchTeamDetails(teamId);
    return isGuid(details.aadGroupId) ? details.aadGroupId : null;
  } catch {
    return null;
  }
}
