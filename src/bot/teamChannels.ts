// A team's channel list, asked of Teams with the connector deadline. TeamsInfo.getTeamChannels
// builds a TeamsConnectorClient of its own for every call, beside the turn's ConnectorClient, so
// the deadline the adapter puts on that client (connectorDeadline.ts) never reaches it: a Bot
// Connector that took the request and never answered held the turn (or the alert fan-out that
// asked) for as long as the socket lived. This builds the same client, from the turn's connector
// credentials and service URL, and gives it the deadline, and the retry every other connector call
// has (connectorRetry.ts): sent again only after an answer Teams' status code table marks for
// retry, where the SDK's own retry also sent it again after a 500 ServiceError ("Retry: No"), a
// 408 and any other 5xx.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-the-list-of-channels-in-a-team

import type { TurnContext } from 'botbuilder';
import { ConnectorClient, TeamsConnectorClient } from 'botframework-connector';
import type { TeamChannel } from '../alerts/subscriptions';
import { CONNECTOR_DEADLINE_MS, withDeadline } from './connectorDeadline';
import { fitRetry } from './connectorRetry';

/** Every channel of the team; the General channel comes back without a name. */
export async function teamChannels(
  ctx: TurnContext,
  teamId: string,
  deadlineMs: number = CONNECTOR_DEADLINE_MS,
): Promise<TeamChannel[]> {
  const connector = ctx.turnState.get<ConnectorClient | undefined>(ctx.adapter.ConnectorClientKey);
  if (!connector) throw new Error('This turn has no connector client to ask Teams with.');
  const client = new TeamsConnectorClient(connector.credentials, { baseUri: ctx.activity.serviceUrl });
  // A GET: 'turn' or 'proactive' only tells how a POST is retried.
  const teams = withDeadline(fitRetry(client, 'turn', deadlineMs), deadlineMs);
  const list = await teams.teams.fetchChannelList(teamId);
  return (list.conversations ?? []).map((c) => ({ id: c.id ?? '', name: c.name ?? 'General' }));
}
