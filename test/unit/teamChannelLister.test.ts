// Reading a team's channel list outside a turn (TeamsInfo.getTeamChannels inside a proactive
// continuation, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-the-list-of-channels-in-a-team).
// A refusal must reach the caller: the adapter's turn-error handler swallows what a continuation
// throws, and an empty list taken for the answer would make the bot forget every channel of the team.

import { strict as assert } from 'node:assert';
import { TurnContext } from 'botbuilder';
import { teamChannelLister } from '../../src/bot/teamsEdge';

/** As the adapter runs a continuation: whatever the logic throws goes to onTurnError, not back. */
const swallowing = async (_ref: unknown, logic: (ctx: TurnContext) => Promise<void>): Promise<void> => {
  const ctx = { activity: { channelId: 'msteams', conversation: { id: '19:general' } }, turnState: new Map() };
  try {
    await logic(ctx as unknown as TurnContext);
  } catch {
    // the adapter's turn-error handler
  }
};

describe('reading a team channel list outside a turn', () => {
  it('a refused or failed read is an error for the caller, never an empty list', async () => {
    const list = teamChannelLister(swallowing);
    await assert.rejects(
      list('19:team@thread.tacv2', { serviceUrl: 'https://smba.test/', conversation: { id: '19:general' } }),
    );
  });

  it('a continuation that never ran is an error too', async () => {
    const list = teamChannelLister(async () => undefined);
    await assert.rejects(list('19:team@thread.tacv2', { serviceUrl: 'https://smba.test/' }), /did not list/);
  });
});
