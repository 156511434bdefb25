// Who may change a channel's alerts is told by the Teams roster's `userRole` of the person who asks
// (TeamsInfo.getMember, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-single-member-details).
// That read can fail: Teams answers 429 to roster fetches like any other bot call
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit). Then the
// person may well be an owner. The team's owners are its Microsoft 365 group's owners
// (https://learn.microsoft.com/en-us/graph/api/resources/team), which the bot reads as the person
// (https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects): when that read answers, it
// decides; when it cannot be had either, nothing changes, and the refusal says the role could not
// be read and to try again, never "ask a team owner" (which told an owner to ask themselves).

import { strict as assert } from 'node:assert';
import { CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';

describe('channel alerts: the roster unread', () => {
  const session = channelAlertsSession();
  const { owner, install, auditLines } = session;

  it('a change asked while Teams does not tell the role: nothing changes, and the answer says why and to try again', async () => {
    const { a } = session;
    await install();
    a.memberImpl = async () => null;
    a.ownsImpl = async () => null;
    const refused = await a.say(owner(), CH_A, 'alerts on role-requests');
    const text = cardsOf(refused.sent);
    assert.match(text, /Teams did not tell me your role in this team just now/);
    assert.match(text, /Nothing was changed; try again in a minute/);
    assert.doesNotMatch(text, /Ask a team owner/);
    assert.equal(await a.alerts.subscriptions.get(CH_A), null);
    assert.equal(auditLines('alerts.subscription.refused').length, 1);

    // Once Teams answers, the owner's change goes through.
    a.memberImpl = null;
    a.ownsImpl = null;
    const on = await a.say(owner(), CH_A, 'alerts on role-requests');
    assert.match(cardsOf(on.sent), /on in this channel/);
  });

  it("the roster unread but Graph lists the person among the group's owners: the change is saved", async () => {
    const { a } = session;
    await install();
    a.memberImpl = async () => null;
    const on = await a.say(owner(), CH_A, 'alerts on role-requests');
    assert.match(cardsOf(on.sent), /on in this channel/);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['roleRequests']);
  });
});
