// A PIM role or access package approval card addressed to the person who asked for it (the
// event's principalId is the target's userId): Microsoft Entra refuses them the decision, "Approvers
// aren't able to approve their own role activation requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow)
// and "Approvers aren't able to approve their own access package requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy),
// so their card has no Approve or Deny and says why. A channel's card (many readers, the approvers
// among them) keeps its buttons, as does a PIM for Groups approval, whose page
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-approval-workflow)
// says nothing of an approver's own request.

import { strict as assert } from 'node:assert';
import { eventCard } from '../../src/bot/replyCards';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { buttonsOf } from '../fixtures/cardButtons';

const REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f32a';
const PATTI = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const MEGAN = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a2';
const CHANNEL = '19:ops@thread.tacv2';

const parsed = (body: Record<string, unknown>): NotificationEvent => {
  const r = parseEvent({ eventId: 'e-1', requestId: REQUEST, principalName: 'Patti Fernandez', ...body });
  assert.ok(r.ok, JSON.stringify(r));
  return r.event;
};
const actionsOf = (reply: { attachment: { content?: unknown } }): unknown[] => buttonsOf(reply.attachment.content);

describe('eventCard: an approval sent to its own requester', () => {
  for (const [kind, cancel] of [
    ['roleApproval', 'cancel role-request'],
    ['accessApproval', 'cancel access-request'],
  ] as const) {
    it(`${kind}: no Approve or Deny, says they cannot approve their own request and how to withdraw it`, () => {
      // The id in another case than the target's is the same person.
      const e = parsed({ kind, target: { userId: PATTI }, principalId: PATTI.toUpperCase() });
      const card = eventCard(e);
      const text = JSON.stringify(card.attachment);
      assert.deepEqual(actionsOf(card), []);
      assert.match(text, /This is your own request/);
      assert.match(text, /does not let an approver approve their own request, so this card has no Approve or Deny/);
      assert.match(text, new RegExp(`${cancel} ${REQUEST}`));
      assert.match(e.text, /It waits for another approver's decision/);
      assert.doesNotMatch(e.text, /your decision/);
      assert.match(card.summary, /This is your own request/);
    });

    it(`${kind}: keeps its buttons for another approver, and in a channel even with the requester in it`, () => {
      for (const target of [{ userId: MEGAN }, { channelId: CHANNEL }, { category: 'approvals' }]) {
        const e = parsed({ kind, target, principalId: PATTI });
        assert.ok(actionsOf(eventCard(e)).length > 0, JSON.stringify(target));
        assert.doesNotMatch(JSON.stringify(eventCard(e).attachment), /your own request/);
      }
      assert.match(parsed({ kind, target: { userId: MEGAN }, principalId: PATTI }).text, /waits for your decision/);
    });
  }

  it('groupApproval keeps its buttons for its requester: the groups page says nothing of it', () => {
    const e = parsed({ kind: 'groupApproval', target: { userId: PATTI }, principalId: PATTI });
    assert.ok(actionsOf(eventCard(e)).length > 0);
  });

  it('an event without principalId keeps its buttons (the bot cannot tell)', () => {
    const e = parsed({ kind: 'roleApproval', target: { userId: PATTI } });
    assert.ok(actionsOf(eventCard(e)).length > 0);
  });

  it('refuses a principalId that is not a GUID, naming it', () => {
    const r = parseEvent({
      eventId: 'e-1',
      kind: 'roleApproval',
      target: { userId: PATTI },
      requestId: REQUEST,
      principalId: 'patti@contoso.com',
    });
    assert.ok(!r.ok);
    assert.deepEqual(r.problems, ['principalId must be a GUID.']);
  });
});
