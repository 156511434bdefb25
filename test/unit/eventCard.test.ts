// The card a notification event is delivered as (src/bot/replyCards.ts eventCard, the render the
// app's delivery worker uses): unchanged for every event that does not say its request is a PIM
// role extension or renewal, and without buttons, naming where to decide it, for one that does
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// A PIM for Groups extension or renewal likewise (README, unconfirmed facts), pointing to the
// blade its approvers use: "Identity governance > Privileged Identity Management > Approve
// requests > Groups"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-approval-workflow).

import { strict as assert } from 'node:assert';
import { eventCard, itemCard } from '../../src/bot/replyCards';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { buttonsOf } from '../fixtures/cardButtons';

const REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f32a';
const parsed = (body: Record<string, unknown>): NotificationEvent => {
  const r = parseEvent({ eventId: 'e-1', target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' }, ...body });
  assert.ok(r.ok, JSON.stringify(r));
  return r.event;
};
/** The render as it was before requestAction existed. */
const before = (e: NotificationEvent) =>
  itemCard(e.item, { ...(e.title ? { title: e.title } : {}), text: e.text, facts: e.facts, settled: false });
const actionsOf = (reply: { attachment: { content?: unknown } }): unknown[] => buttonsOf(reply.attachment.content);

describe('eventCard: the delivered card of a notification event', () => {
  it('is the card it always was for every kind without requestAction, and for an activation', () => {
    for (const kind of [
      'roleRequest',
      'groupRequest',
      'accessRequest',
      'roleApproval',
      'groupApproval',
      'accessApproval',
    ]) {
      for (const title of [undefined, 'Needs a look']) {
        const e = parsed({ kind, requestId: REQUEST, principalName: 'Patti Fernandez', ...(title ? { title } : {}) });
        assert.deepEqual(eventCard(e), before(e), kind);
        assert.ok(actionsOf(eventCard(e)).length > 0, `${kind} has its buttons`);
      }
    }
    const activation = parsed({ kind: 'roleApproval', requestId: REQUEST, requestAction: 'SelfActivate' });
    assert.deepEqual(eventCard(activation), before(activation));
  });

  it('has no buttons for an extension or renewal approval, and says to decide it in the Entra admin center', () => {
    for (const [requestAction, what] of [
      ['selfExtend', 'an extension request'],
      ['adminExtend', 'an extension request'],
      ['selfRenew', 'a renewal request'],
      ['adminrenew', 'a renewal request'],
    ]) {
      const e = parsed({ kind: 'roleApproval', requestId: REQUEST, roleName: 'Exchange Administrator', requestAction });
      const card = eventCard(e);
      const text = JSON.stringify(card.attachment);
      assert.deepEqual(actionsOf(card), [], requestAction);
      assert.match(text, /Decide this one in the Microsoft Entra admin center/);
      assert.match(text, /Identity governance > Privileged Identity Management > Approve requests/);
      assert.match(text, new RegExp(`This is ${what} for a role assignment`), requestAction);
      assert.match(text, /requested Exchange Administrator/, 'the event still says what was requested');
      assert.match(text, new RegExp(REQUEST), 'and names the request');
    }
  });

  it('has no buttons for a PIM for Groups extension or renewal approval, and names the Groups blade', () => {
    for (const [requestAction, what] of [
      ['selfExtend', 'an extension request'],
      ['AdminRenew', 'a renewal request'],
    ]) {
      const e = parsed({ kind: 'groupApproval', requestId: REQUEST, groupName: 'Payroll admins', requestAction });
      const card = eventCard(e);
      const text = JSON.stringify(card.attachment);
      assert.deepEqual(actionsOf(card), [], requestAction);
      assert.match(text, /Decide this one in the Microsoft Entra admin center/);
      assert.match(text, /Identity governance > Privileged Identity Management > Approve requests > Groups/);
      assert.match(text, new RegExp(`This is ${what} for a group membership or ownership`), requestAction);
      assert.doesNotMatch(text, /role assignment/);
      assert.match(text, /Payroll admins/, 'the event still says what was requested');
    }
    const activation = parsed({ kind: 'groupApproval', requestId: REQUEST, requestAction: 'selfActivate' });
    assert.deepEqual(eventCard(activation), before(activation));
  });
});
