// An approval event addressed to the person who asked for it (its `principalId` is the target's
// `userId`) is delivered without Approve/Deny: "Approvers aren't able to approve their own role
// activation requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow),
// "Approvers aren't able to approve their own access package requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// The same event to a channel keeps its buttons for the approvers reading it (README, the intake table).

import { strict as assert } from 'node:assert';
import { BotProcess, Who, World, message, post } from './harness';
import { adminNotificationsSession } from './notificationsSession';

describe('notifications: an approval sent to its own requester', function () {
  this.timeout(90_000);
  const session = adminNotificationsSession();
  const { send } = session;
  let world: World;
  let bot: BotProcess;
  let admin: Who;
  before(() => ({ world, bot, admin } = session));

  const approval = (eventId: string, kind: string, target: Record<string, string>) => ({
    eventId,
    kind,
    target,
    requestId: kind === 'roleApproval' ? world.seed.examples.roleApprovalId : world.seed.examples.accessApprovalId,
    principalName: admin.name,
    principalId: admin.aadObjectId,
    ...(kind === 'roleApproval' ? { roleName: `Teams Administrator (${eventId})` } : {}),
    ...(kind === 'accessApproval' ? { accessPackageName: `Sales portal (${eventId})` } : {}),
  });

  /** The one card delivered for the event (its role or package name carries the event id). */
  const delivered = (eventId: string) => session.deliveredCard(eventId, `(${eventId})`);

  for (const [kind, cancel] of [
    ['roleApproval', 'cancel role-request'],
    ['accessApproval', 'cancel access-request'],
  ] as const) {
    it(`${kind} to its requester: no Approve/Deny, says they cannot approve their own request`, async () => {
      const eventId = `own-${kind}`;
      const r = await send(bot, approval(eventId, kind, { userId: admin.aadObjectId }));
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const card = await delivered(eventId);
      assert.doesNotMatch(card, /Action\.Execute|Action\.Submit|Action\.ShowCard/, card);
      assert.match(card, /This is your own request/);
      assert.match(card, /does not let an approver approve their own request/);
      assert.match(card, new RegExp(cancel));
    });
  }

  it('the same roleApproval in a channel keeps Approve and Deny', async () => {
    const channel = '19:own-approvals@thread.tacv2';
    assert.equal((await post(world, bot, message(world, admin, 'help', 'channel', channel))).status, 200);
    assert.equal((await send(bot, approval('own-channel', 'roleApproval', { channelId: channel }))).status, 202);
    const card = await delivered('own-channel');
    assert.match(card, /"title":"Approve"/);
    assert.match(card, /"title":"Deny"/);
    assert.doesNotMatch(card, /your own request/);
  });
});
