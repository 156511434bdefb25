// Who owns a team, told by Microsoft's documented source rather than the Teams roster. Microsoft
// documents the roster's `userRole` as `user`, `guest` or `anonymous`
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context) and no
// value for an owner; a team is backed by a Microsoft 365 group whose owners are the team's owners
// (https://learn.microsoft.com/en-us/graph/api/resources/team), and the signed-in user's own
// owned objects are read with User.Read
// (https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects). So a person the roster
// lists as `user` may change a channel's alerts when that read lists the team's group; is refused
// as not an owner when it does not; and, when the read fails, is told it could not be checked and
// to try again, never allowed. An `owner` in the roster is taken with no Graph call.

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A, TEAM, TEAM_GROUP } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';

describe("channel alerts: the team's owners are its Microsoft 365 group's owners", () => {
  const session = channelAlertsSession();
  const { owner, member, install, auditLines } = session;
  let a: AlertsRig;
  let asked: Array<{ user: string; group: string }>;
  beforeEach(async () => {
    a = session.a;
    await install();
    asked = [];
  });

  /** The ownership read as Graph answers it, recorded. */
  const graphSays = (answer: boolean | null) => {
    a.ownsImpl = async (user, group) => {
      asked.push({ user, group });
      return answer;
    };
  };

  const save = (who: ReturnType<typeof member>) =>
    a.rig.turn(
      a.inChannel(who, CH_A, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'alerts.save', data: { roleRequests: 'true' } } },
      }),
    );

  it('the roster says "user", Graph lists the team\'s group among the ones the person owns: the change is saved', async () => {
    graphSays(true);
    const on = await a.say(member(), CH_A, 'alerts on role-requests');
    assert.match(cardsOf(on.sent), /on in this channel/);
    assert.deepEqual(asked, [{ user: member().aadObjectId, group: TEAM_GROUP }]);
    assert.deepEqual(await a.alerts.subscriptions.get(CH_A), {
      teamId: TEAM,
      channelId: CH_A,
      categories: ['roleRequests'],
      digest: false,
    });
    // The settings card's Save too.
    assert.equal(
      (
        await a.alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CH_A }, 'roleRequests', false, {
          userId: null,
          correlationId: 'reset',
        })
      ).audit.changed,
      true,
    );
    const saved = await save(member());
    assert.equal(saved.invoke?.status, 200);
    assert.equal((saved.invoke?.body as { statusCode?: number } | undefined)?.statusCode, 200);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['roleRequests']);
  });

  it('Graph does not list the group: refused as not an owner, with whom to ask, and nothing changes', async () => {
    graphSays(false);
    const refused = await a.say(member(), CH_A, 'alerts on role-requests');
    const text = cardsOf(refused.sent);
    assert.match(text, /Only the team's owners can change which alerts this channel receives/);
    assert.match(text, /You are not among the owners of this team's Microsoft 365 group/);
    assert.match(text, /Ask a team owner to change them/);
    assert.doesNotMatch(text, /try again/);
    assert.doesNotMatch(text, /Teams may not tell bots who owns a team/);
    assert.equal(await a.alerts.subscriptions.get(CH_A), null);
    const [line] = auditLines('alerts.subscription.refused');
    assert.equal(line?.ownerCheck, 'notOwner');
  });

  it('the read fails or times out: refused, saying it could not be checked and to try again; never allowed', async () => {
    graphSays(null);
    const refused = await a.say(member(), CH_A, 'alerts on role-requests');
    const text = cardsOf(refused.sent);
    assert.match(text, /I could not check whether you own this team just now/);
    assert.match(text, /Nothing was changed; try again in a minute/);
    assert.doesNotMatch(text, /Ask a team owner/);
    assert.equal(await a.alerts.subscriptions.get(CH_A), null);
    const saved = await save(member());
    assert.equal((saved.invoke?.body as { statusCode?: number } | undefined)?.statusCode, 400);
    assert.equal(await a.alerts.subscriptions.get(CH_A), null);
    assert.equal(auditLines('alerts.subscription.refused')[0]?.ownerCheck, 'failed');
  });

  it('Teams does not tell the team\'s group id: the ownership cannot be read, so it is "cannot tell"', async () => {
    graphSays(true);
    a.teamGroupId = null;
    const refused = await a.say(member(), CH_A, 'alerts on role-requests');
    assert.match(cardsOf(refused.sent), /I could not check whether you own this team just now/);
    assert.deepEqual(asked, [], 'no Graph read without a group id');
    assert.equal(await a.alerts.subscriptions.get(CH_A), null);
  });

  it('the roster says "owner": allowed with no Graph call', async () => {
    graphSays(null);
    const on = await a.say(owner(), CH_A, 'alerts on role-requests');
    assert.match(cardsOf(on.sent), /on in this channel/);
    assert.deepEqual(asked, []);
  });
});
