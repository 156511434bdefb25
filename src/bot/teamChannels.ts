// A team's channel list, asked of Teams with the connector deadline. TeamsInfo.getTeamChannels
// builds a TeamsConnectorClient of its own for every call, beside the turn's ConnectorClient, so
// the deadline the adapter puts on that client (connectorDeadline.ts) never reaches it: a Bot
// Connector that took the request and never answered held the turn (or the alert fan-out that
// asked) for as long as the socket lived. This builds the same client, from the turn's connector
// credentials and service URL, and gives it the deadline.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-the-list-of-channels-in-a-team

import type { TurnContext } from 'botbuilder';
import { ConnectorClient, TeamsConnectorClient } from 'botframework-connector';
import type { TeamChannel } from '../alerts/subscriptions';
import { CONNECTOR_DEADLINE_MS, withDeadline } from './connectorDeadline';

/** Every channel of the team; the General channel comes back without a name. */
export async function teamChannels(
  ctx: TurnContext,
  teamId: string,
  deadlineMs: number = CONNECTOR_DEADLINE_MS,
): Promise<TeamChannel[]> {
  const connector = ctx.turnState.get<ConnectorClient | undefined>(ctx.adapter.ConnectorClientKey);
  if (!connector) throw new Error('This turn has no connector client to ask Teams with.');
  const teams = withDeadline(
    new TeamsConnectorClient(connector.credentials, { baseUri: ctx.activity.serviceUrl }),
    deadlineMs,
  );
  const list = await teams.teams.fetchChannelList(teamId);
  return (list.conversations ?? []).map((c) => ({ id: c.id ?? '', name: c.name ?? 'General' }));
}
