// A PIM role approval event that says its request is an extension or a renewal (`requestAction`,
// the request's `action`:
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0)
// is delivered without Approve/Deny: "Approval for extend and renew requests is currently not
// supported by the Microsoft Graph API", and the page says where to decide them instead
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// An activation keeps its buttons; so does an event that does not say (README, the intake table).

import { strict as assert } from 'node:assert';
import { BotProcess, Who, World, message, post } from './harness';
import { adminNotificationsSession } from './notificationsSession';

const WHERE = /Microsoft Entra admin center: Identity governance > Privileged Identity Management > Approve requests/;

describe('notifications: PIM role extension and renewal approvals', function () {
  this.timeout(90_000);
  const session = adminNotificationsSession();
  const { send } = session;
  let world: World;
  let bot: BotProcess;
  let admin: Who;
  before(() => ({ world, bot, admin } = session));

  const approval = (eventId: string, target: Record<string, string>, requestAction?: string) => ({
    eventId,
    kind: 'roleApproval',
    target,
    requestId: world.seed.examples.roleApprovalId,
    principalName: 'Isaiah Langer',
    roleName: `Exchange Administrator (${eventId})`,
    duration: '90 days',
    ...(requestAction !== undefined ? { requestAction } : {}),
  });

  /** The one card delivered for the event (its role name carries the event id). */
  const delivered = (eventId: string) => session.deliveredCard(eventId, `Exchange Administrator (${eventId})`);

  for (const [requestAction, what] of [
    ['selfExtend', 'an extension request'],
    ['AdminRenew', 'a renewal request'],
  ] as const) {
    it(`a ${requestAction} approval's card has no Approve/Deny and says to decide it in the Entra admin center`, async () => {
      const eventId = `extend-${requestAction}`;
      const r = await send(bot, approval(eventId, { userId: admin.aadObjectId }, requestAction));
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const card = await delivered(eventId);
      assert.doesNotMatch(card, /Action\.Execute|Action\.Submit|Action\.ShowCard/, card);
      assert.doesNotMatch(card, /"title":"(Approve|Deny)"/);
      assert.match(card, WHERE, card);
      assert.match(card, new RegExp(`This is ${what} for a role assignment`));
    });
  }

  it('the same card in a channel has no buttons either', async () => {
    const channel = '19:pim-approvers@thread.tacv2';
    assert.equal((await post(world, bot, message(world, admin, 'help', 'channel', channel))).status, 200);
    assert.equal((await send(bot, approval('extend-channel', { channelId: channel }, 'selfExtend'))).status, 202);
    const card = await delivered('extend-channel');
    assert.doesNotMatch(card, /Action\.Execute|Action\.Submit/, card);
    assert.match(card, WHERE);
  });

  for (const requestAction of ['SelfActivate', undefined]) {
    it(`a roleApproval ${requestAction ? `with requestAction ${requestAction}` : 'that does not say its action'} keeps Approve and Deny`, async () => {
      const eventId = `activate-${requestAction ?? 'unsaid'}`;
      assert.equal((await send(bot, approval(eventId, { userId: admin.aadObjectId }, requestAction))).status, 202);
      const card = await delivered(eventId);
      assert.match(card, /"title":"Approve"/);
      assert.match(card, /"title":"Deny"/);
      assert.match(card, /Action\.Execute/);
      assert.doesNotMatch(card, /Microsoft Entra admin center/);
    });
  }

  it('refuses an unknown requestAction with 400 naming the field and the accepted values', async () => {
    const r = await send(bot, approval('extend-unknown', { userId: admin.aadObjectId }, 'selfExtension'));
    assert.equal(r.status, 400, JSON.stringify(r.body));
    const problems = JSON.stringify(r.body.problems);
    assert.match(problems, /requestAction must be one of adminAssign, .*selfExtend, selfRenew/);
  });
});
