// The team's Microsoft 365 group id, whose owners are the team's owners: carried by the activity
// (`channelData.team.aadGroupId`, as the team events of
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
// carry it), or else asked of Teams with the team's details (`aadGroupId` of
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-teams-details).
// An id that is not a GUID is not used; Teams not answering leaves it unknown (null).

import { strict as assert } from 'node:assert';
import { teamGroupId } from '../../src/bot/teamGroup';
import { answeringConnector, channelAlertsTurn } from '../fixtures/channelAlertsTurn';

const TEAM = '19:team@thread.tacv2';
const GROUP = '5e1f0c2a-7b3d-4e6f-8a9b-0c1d2e3f4a5b';

/** The group id teamGroupId finds for a channel message with `team` in its channelData, when Teams
 * answers the team details read with `status` and `body`; and the paths Teams was asked. */
async function groupFor(team: Record<string, unknown>, status: number, body: unknown) {
  const c = await answeringConnector(status, body);
  try {
    let group: string | null = 'unset';
    await channelAlertsTurn(c.serviceUrl, '29:someone', team, async (ctx) => {
      group = await teamGroupId(ctx, TEAM, 2_000);
    });
    return { group, paths: c.paths };
  } finally {
    await c.close();
  }
}

describe("channel alerts: the team's Microsoft 365 group id", function () {
  this.timeout(20_000);

  it('carried by the activity: taken, and Teams is not asked', async () => {
    const { group, paths } = await groupFor({ id: TEAM, aadGroupId: GROUP }, 500, {});
    assert.equal(group, GROUP);
    assert.deepEqual(paths, []);
  });

  it("not carried: the team's details are asked of Teams, and their aadGroupId taken", async () => {
    const { group, paths } = await groupFor({ id: TEAM }, 200, { id: TEAM, name: 'Ops', aadGroupId: GROUP });
    assert.equal(group, GROUP);
    assert.deepEqual(paths, [`/v3/teams/${TEAM}`]);
  });

  it('not a GUID, or Teams not answering: unknown (null)', async () => {
    assert.equal((await groupFor({ id: TEAM }, 200, { id: TEAM, aadGroupId: "x' or 1 eq 1" })).group, null);
    assert.equal((await groupFor({ id: TEAM, aadGroupId: 'not-a-guid' }, 404, {})).group, null);
    assert.equal((await groupFor({ id: TEAM }, 503, { error: { code: 'ServiceUnavailable' } })).group, null);
  });
});
