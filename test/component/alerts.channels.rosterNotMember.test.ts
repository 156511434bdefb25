// Who may change a channel's alerts is told by the Teams roster entry of the person who asks
// (TeamsInfo.getMember). Teams answers that read with an error when the person is not in the team
// (404, code MemberNotFoundInConversation, as the "Get single member details" samples handle it):
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-single-member-details
// That is an answer, not a failure: the person is refused as not an owner, never told to try again
// (which would never help). A 429 or 5xx (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit)
// still leaves the role unknown: "try again".

import { strict as assert } from 'node:assert';
import { alertPermission } from '../../src/bot/alertPermission';
import { teamsInfoDirectory } from '../../src/bot/teamsDirectory';
import { answeringConnector, channelAlertsTurn } from '../fixtures/channelAlertsTurn';
import { recordingLogger } from '../fixtures/recordingLogger';

/** What the permission check answers a person typing `alerts on …` when Teams answers the roster
 * read with `status` and `body` and Graph's read of the team group's owners answers `owns`. */
async function decisionWhenRoster(status: number, body: unknown, owns: boolean | null): Promise<string> {
  const c = await answeringConnector(status, body);
  try {
    let reason = '';
    await channelAlertsTurn(c.serviceUrl, '29:outsider', { id: '19:team@thread.tacv2' }, async (ctx) => {
      const permission = await alertPermission(
        ctx,
        { teamId: '19:team@thread.tacv2', channelId: '19:ops@thread.tacv2' },
        {
          member: teamsInfoDirectory.member,
          authority: { adminGroupIds: [] },
          memberGroups: async () => null,
          teamGroup: async () => '5e1f0c2a-7b3d-4e6f-8a9b-0c1d2e3f4a5b',
          ownsGroup: async () => owns,
          logger: recordingLogger().logger,
          tenantId: '00000000-0000-0000-0000-0000000000bb',
        },
      );
      reason = permission.allowed ? 'allowed' : permission.reason;
    });
    return reason;
  } finally {
    await c.close();
  }
}

describe('channel alerts: a person Teams says is not in the team', function () {
  this.timeout(20_000);

  it('is refused as not an owner, not told to try again', async () => {
    const reason = await decisionWhenRoster(
      404,
      {
        error: { code: 'MemberNotFoundInConversation', message: 'The member is not part of the conversation.' },
      },
      false,
    );
    assert.match(reason, /Only the team's owners can change/);
    assert.match(reason, /Ask a team owner/);
    assert.doesNotMatch(reason, /try again/);
  });

  it('a roster read Teams could not answer (503 each time) still says to try again', async () => {
    const reason = await decisionWhenRoster(503, { error: { code: 'ServiceUnavailable', message: 'try later' } }, null);
    assert.match(reason, /Teams did not tell me your role/);
    assert.match(reason, /try again/);
  });

  // The team's owners are its Microsoft 365 group's owners
  // (https://learn.microsoft.com/en-us/graph/api/resources/team): when Graph answered, the roster
  // read that failed no longer decides.
  it('a roster read Teams could not answer, but Graph tells the ownership: its answer decides', async () => {
    const unavailable = { error: { code: 'ServiceUnavailable', message: 'try later' } };
    assert.equal(await decisionWhenRoster(503, unavailable, true), 'allowed');
    const notOwner = await decisionWhenRoster(503, unavailable, false);
    assert.match(notOwner, /You are not among the owners of this team's Microsoft 365 group/);
    assert.match(notOwner, /Ask a team owner/);
    assert.doesNotMatch(notOwner, /try again/);
  });
});
