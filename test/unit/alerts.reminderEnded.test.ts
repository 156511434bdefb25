// A reminder is rendered once, by the periodic pass, and posted in each channel following
// "approvals" later (pacing, retries, an outage). A post made at or after the approval's moment
// says the approval time ended, in the ended card's words, and offers no decision: an access
// package approval still pending then is denied automatically ("The number of days that a request
// can be pending a response before it is automatically denied",
// https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage), and a PIM approval
// lasts 24 hours ("Delegated approvers have 24 hours to approve requests",
// https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// A channel's reminder never carries Approve or Deny (the pass gives it no buttons), so it must not
// say they are "no longer offered here": that is for the cards that had them (eventCard.ended.test).

import { strict as assert } from 'node:assert';
import { alertCardAt } from '../../src/alerts/alertStore';
import { DueReminder, reminderCard, reminderCards } from '../../src/alerts/reminders';
import { approvalEnded } from '../../src/cards/endedWording';
import { buttonsOf } from '../fixtures/cardButtons';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const MOMENT = Date.UTC(2026, 2, 18, 8, 30, 0);
const H = 3_600_000;

function due(kind: DueReminder['approval']['kind']): DueReminder {
  return {
    approval: {
      kind,
      requestId: ID,
      createdAt: MOMENT - 20 * H,
      title: 'Adele Vance requested Marketing campaign tools',
      actions: [{ title: 'Approve', data: { verb: 'governance.act' } }],
    },
    expiresAt: MOMENT,
  };
}

const buttons = (card: { attachment: { content?: unknown } }) => buttonsOf<{ title?: string }>(card.attachment.content);

describe('alerts: a reminder posted after its approval ended', () => {
  it('says the approval time ended, in the ended card words, with no decision offered', () => {
    const card = reminderCard(due('accessPackageRequest'), MOMENT + 60_000);
    const text = JSON.stringify(card.attachment.content);
    const words = approvalEnded(MOMENT, 'none');
    assert.doesNotMatch(text, /Approval expires/);
    assert.ok(text.includes(words.title) && text.includes(words.what) && text.includes(words.next), text);
    assert.doesNotMatch(text, /no longer offered/, 'a reminder never offered Approve or Deny');
    assert.match(approvalEnded(MOMENT, 'decision').next, /^Approve and Deny are no longer offered here/);
    assert.match(text, /ended at 2026-03-18 08:30 UTC/);
    assert.deepEqual(buttons(card), []);
    assert.match(card.summary, /^The approval time has ended: /);
  });

  it('says a PIM approval time ended too, and keeps the reminder before the moment', () => {
    const pim = JSON.stringify(reminderCard(due('roleRequest'), MOMENT).attachment.content);
    assert.match(pim, /The approval time has ended/);
    assert.doesNotMatch(pim, /no longer offered|nothing left to approve or deny here/, 'nor did a PIM one');
    assert.doesNotMatch(pim, /Approval expires/);
    const before = reminderCard(due('accessPackageRequest'), MOMENT - H);
    assert.match(JSON.stringify(before.attachment.content), /Approval expires at 2026-03-18 08:30 UTC/);
    assert.deepEqual(
      buttons(before).map((a) => a.title),
      ['Approve'],
    );
  });

  it('is stored with the card of its moment, which each channel posted from then on gets', () => {
    const { card, ended } = reminderCards(due('accessPackageRequest'), MOMENT - 3 * H);
    assert.equal(ended.at, MOMENT);
    const at = (now: number) => JSON.stringify(alertCardAt({ card, ended }, now).attachment.content);
    assert.match(at(MOMENT - 1), /Approval expires at 2026-03-18 08:30 UTC/);
    assert.match(at(MOMENT), /The approval time has ended/);
    assert.match(at(MOMENT + 2 * H), /The approval time has ended/);
  });
});
