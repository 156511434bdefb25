// Which approvals get a reminder: pending, within 4 hours of expiry, not yet expired, once. PIM
// approvals lapse 24 hours after the request and that window is not configurable:
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { strict as assert } from 'node:assert';
import {
  PendingApproval,
  approvalExpiry,
  dueReminders,
  reminderEventId,
  reminderKey,
} from '../../src/alerts/reminders';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 4, 0, 0, 0);
const role = (id: string, createdAt: number): PendingApproval => ({
  kind: 'roleRequest',
  requestId: id,
  createdAt,
  title: `request ${id}`,
});

describe('alerts: approval reminders', () => {
  it('gives PIM approvals 24 hours and access packages only the expiry they are given', () => {
    assert.equal(approvalExpiry(role('a', T0)), T0 + 24 * H);
    assert.equal(approvalExpiry({ ...role('g', T0), kind: 'groupRequest' }), T0 + 24 * H);
    assert.equal(approvalExpiry({ ...role('p', T0), kind: 'accessPackageRequest' }), null);
    assert.equal(
      approvalExpiry({ ...role('p', T0), kind: 'accessPackageRequest', expiresAt: T0 + 14 * 24 * H }),
      T0 + 14 * 24 * H,
    );
  });

  it('is due from 4 hours before expiry until expiry, not before and not after', () => {
    const item = role('a', T0);
    assert.deepEqual(dueReminders([item], T0 + 20 * H - 1, new Set()), []);
    assert.deepEqual(dueReminders([item], T0 + 20 * H, new Set()), [{ approval: item, expiresAt: T0 + 24 * H }]);
    assert.equal(dueReminders([item], T0 + 24 * H - 1, new Set()).length, 1);
    assert.deepEqual(dueReminders([item], T0 + 24 * H, new Set()), [], 'expired: too late to remind');
  });

  it('reminds each item once, soonest expiry first', () => {
    const a = role('A', T0);
    const b = role('b', T0 - H);
    const pkg: PendingApproval = { ...role('c', T0), kind: 'accessPackageRequest', expiresAt: T0 + 22 * H };
    const now = T0 + 21 * H;
    assert.deepEqual(
      dueReminders([a, b, a, pkg], now, new Set()).map((d) => d.approval.requestId),
      ['c', 'b', 'A'],
    );
    assert.deepEqual(
      dueReminders(
        [a, b, pkg],
        now,
        new Set([reminderKey(b), reminderKey({ kind: 'roleRequest', requestId: 'a' })]),
      ).map((d) => d.approval.requestId),
      ['c'],
      'ids compare case-insensitively',
    );
    assert.equal(reminderEventId(a), 'reminder:roleRequest:a');
    assert.match(reminderEventId(a), /^[A-Za-z0-9._:-]{1,128}$/);
  });
});
