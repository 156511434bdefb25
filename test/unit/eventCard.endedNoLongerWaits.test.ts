// An approval event rendered after its approval time ended (an access package's
// approvalExpiresDateTime, a PIM request's createdDateTime + 24 hours) said in its first line
// "Alex Wilber requested Contoso sales portal. It waits for your decision." and under it "The
// approval time has ended ... Approve and Deny are no longer offered here": a card that both waits
// for a decision and offers none. The ended card keeps who requested what, without "It waits".
// "If a request isn't approved within this time period, it's automatically denied":
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy
// PIM: "approvers have 24 hours to approve the request ... the request expires":
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { strict as assert } from 'node:assert';
import { eventCard } from '../../src/bot/replyCards';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';

const ME = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const NOW = Date.parse('2026-11-30T14:00:00Z');
const HOUR = 3600_000;

function event(body: Record<string, unknown>): NotificationEvent {
  const r = parseEvent({ eventId: 'e-1', principalName: 'Alex Wilber', ...body }, NOW);
  assert.ok(r.ok, JSON.stringify(r));
  return r.event;
}

/** Every text a person reads on the card. */
function shown(card: { attachment: { content?: unknown } }): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(card.attachment.content);
  return out.join(' ');
}

const cases: Array<[string, Record<string, unknown>]> = [
  [
    'access package approval',
    {
      kind: 'accessApproval',
      requestId: '7999249e-249e-7999-9e24-99799e249985',
      accessPackageName: 'Contoso sales portal',
      approvalExpiresDateTime: new Date(NOW - HOUR).toISOString(),
    },
  ],
  [
    'PIM role approval',
    {
      kind: 'roleApproval',
      requestId: '95c690fb-3eb3-4942-a03f-4524aed6f32a',
      roleName: 'Teams Administrator',
      createdDateTime: new Date(NOW - 25 * HOUR).toISOString(),
    },
  ],
  [
    'PIM for Groups approval',
    {
      kind: 'groupApproval',
      requestId: 'f4b57a8c-da56-4ae0-8aef-65c3a043daba',
      groupName: 'Payroll admins',
      createdDateTime: new Date(NOW - 25 * HOUR).toISOString(),
    },
  ],
];

describe('eventCard: an approval whose time ended no longer says it waits for a decision', () => {
  for (const [name, body] of cases) {
    for (const target of [{ userId: ME }, { category: 'approvals' }]) {
      it(`${name}, to ${'userId' in target ? 'a person' : 'a category'}`, () => {
        const text = shown(eventCard(event({ ...body, target }), NOW));
        assert.match(text, /The approval time has ended/);
        assert.match(text, /^.*Alex Wilber requested /, 'it still says who requested what');
        assert.doesNotMatch(text, /It waits for/);
      });
    }
    // The headline's own sentence goes, whoever it names, and the sender's details stay as sent,
    // also when they hold another "It waits for … decision." than the headline's.
    it(`${name}, to a category, with details that say it waits for "your" decision`, () => {
      const details = 'Sent by the HR system. It waits for your decision.';
      const text = shown(eventCard(event({ ...body, details, target: { category: 'approvals' } }), NOW));
      assert.doesNotMatch(text, /It waits for an approver's decision/);
      assert.ok(text.includes(details), text);
    });
    it(`${name}, before its time ends: still says it waits for your decision`, () => {
      const text = shown(eventCard(event({ ...body, target: { userId: ME } }), NOW - 2 * 24 * HOUR));
      assert.match(text, /It waits for your decision\./);
    });
  }
});
