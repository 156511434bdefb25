// Reading a team's channel list has the connector deadline. TeamsInfo.getTeamChannels builds its
// own TeamsConnectorClient for each call, which the adapter's deadline on the turn's connector
// client never reached: a Bot Connector that took the request and never answered held the read
// (a channel's alert settings, an event fanned out to a team) for as long as the socket lived.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-the-list-of-channels-in-a-team

import { strict as assert } from 'node:assert';
import { teamChannels } from '../../src/bot/teamChannels';
import { teamChannelLister } from '../../src/bot/teamsEdge';
import { SilentServer, silentServer } from '../fixtures/silentServer';
import { TEAM, turnAt } from '../fixtures/connectorTurn';

describe('team channel list deadline', () => {
  let connector: SilentServer;

  beforeEach(async () => {
    connector = await silentServer();
  });
  afterEach(() => connector.close());

  it('a connector that never answers fails the read at its deadline', async () => {
    await assert.rejects(teamChannels(turnAt(connector.url), TEAM, 50), { name: 'ConnectorTimeoutError' });
    assert.deepEqual(connector.arrived, [`/v3/teams/${encodeURIComponent(TEAM)}/conversations`]);
  });

  it('so does the read outside a turn, which alert fan-out makes for a channel it has not seen', async () => {
    const list = teamChannelLister((_reference, logic) => logic(turnAt(connector.url)), 50);
    await assert.rejects(list(TEAM, { serviceUrl: connector.url }), { name: 'ConnectorTimeoutError' });
  });
});
