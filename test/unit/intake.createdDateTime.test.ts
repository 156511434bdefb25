// A PIM event's optional createdDateTime: when the request was made, from which its approval lapses
// 24 hours later ("Delegated approvers have 24 hours to approve requests":
// https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow,
// and for PIM for Groups
// https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-approval-workflow).
// Graph gives it as the request's createdDateTime
// (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest,
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest).

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const now = Date.UTC(2026, 10, 30, 12, 0);
const HOUR = 3_600_000;
const base = {
  eventId: 'pim-1',
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  principalName: 'Megan Bowen',
  target: { category: 'approvals' },
};
const PIM_KINDS = ['roleRequest', 'roleApproval', 'groupRequest', 'groupApproval'];

describe('intake: the createdDateTime of a PIM request', () => {
  it('takes the moment a PIM request was made, with its time zone, and leaves it out when not sent', () => {
    for (const kind of PIM_KINDS) {
      const taken = parseEvent({ ...base, kind, createdDateTime: '2026-11-30T10:30:00.1234567+01:00' }, now);
      assert.ok(taken.ok, `${kind}: ${JSON.stringify(taken)}`);
      assert.equal(taken.event.requestCreatedAt, Date.UTC(2026, 10, 30, 9, 30, 0, 123), kind);
      assert.equal('notices' in taken, false, `${kind}: its approval still waits`);
      for (const absent of [undefined, null]) {
        const without = parseEvent({ ...base, kind, createdDateTime: absent }, now);
        assert.ok(without.ok);
        assert.equal('requestCreatedAt' in without.event, false, `${kind}: ${String(absent)}`);
      }
    }
  });

  it('refuses a createdDateTime that is not an ISO 8601 moment with its time zone, names an impossible one, or is ahead', () => {
    for (const kind of PIM_KINDS) {
      for (const bad of ['2026-11-30', '2026-11-30T08:30:00', 'yesterday', 1796040000000, '', {}]) {
        const refused = parseEvent({ ...base, kind, createdDateTime: bad }, now);
        assert.ok(!refused.ok, `${kind} ${JSON.stringify(bad)}`);
        assert.deepEqual(refused.problems, [
          'createdDateTime must be an ISO 8601 date and time with its time zone, like 2026-03-04T12:00:00Z: ' +
            "when the PIM request was made (the request's createdDateTime).",
        ]);
      }
      const impossible = parseEvent({ ...base, kind, createdDateTime: '2026-02-30T08:30:00Z' }, now);
      assert.ok(!impossible.ok);
      assert.deepEqual(impossible.problems, [
        'createdDateTime names a day or a time that does not exist: 2026-02-30T08:30:00Z.',
      ]);
      // A sender's clock a little ahead of the bot's is taken; further ahead, the moment is not Graph's.
      const skewed = parseEvent({ ...base, kind, createdDateTime: '2026-11-30T12:04:59Z' }, now);
      assert.ok(skewed.ok, JSON.stringify(skewed));
      // Taken as made no later than it arrived, so the card's 24 hours end when the waiting list's do.
      assert.equal(skewed.event.requestCreatedAt, now, `${kind}: counted from its arrival`);
      const ahead = parseEvent({ ...base, kind, createdDateTime: '2026-11-30T13:00:00Z' }, now);
      assert.ok(!ahead.ok);
      assert.deepEqual(ahead.problems, [
        'createdDateTime 2026-11-30T13:00:00Z is in the future (now 2026-11-30T12:00:00.000Z): ' +
          "send the request's createdDateTime as Graph gives it.",
      ]);
    }
  });

  it('takes a PIM request made 24 hours or more ago with a notice that it is not waiting and not reminded', () => {
    for (const kind of PIM_KINDS) {
      const late = parseEvent({ ...base, kind, createdDateTime: '2026-11-29T11:00:00Z' }, now);
      assert.ok(late.ok, JSON.stringify(late));
      assert.equal(late.event.requestCreatedAt, now - 25 * HOUR);
      assert.deepEqual(late.notices, [
        'createdDateTime 2026-11-29T11:00:00Z is 24 hours or more ago (now 2026-11-30T12:00:00.000Z): a PIM ' +
          'approval lapses 24 hours after the request, so this one lapsed at 2026-11-30T11:00:00.000Z; ' +
          'it is not listed as waiting and no reminder will be sent.',
      ]);
      const exactly = parseEvent({ ...base, kind, createdDateTime: '2026-11-29T12:00:00Z' }, now);
      assert.ok(exactly.ok);
      assert.equal(exactly.notices?.length, 1, 'lapsed at the very moment it arrived');
      const justInTime = parseEvent({ ...base, kind, createdDateTime: '2026-11-29T12:00:01Z' }, now);
      assert.ok(justInTime.ok);
      assert.equal('notices' in justInTime, false);
    }
  });

  // Access package events state their lapse in approvalExpiresDateTime; the other kinds have no
  // approval. They took createdDateTime unread before it meant anything, and still do.
  it('leaves createdDateTime unread on the kinds that are not PIM requests', () => {
    for (const kind of ['accessRequest', 'accessApproval']) {
      const taken = parseEvent({ ...base, kind, createdDateTime: 'not a moment' }, now);
      assert.ok(taken.ok, JSON.stringify(taken));
      assert.equal('requestCreatedAt' in taken.event, false);
    }
    const run = parseEvent(
      {
        eventId: 'wf-1',
        kind: 'workflowRun',
        target: { category: 'workflowRuns' },
        workflowId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
        runId: '95c690fb-3eb3-4942-a03f-4524aed6f31f',
        createdDateTime: '2020-01-01T00:00:00Z',
      },
      now,
    );
    assert.ok(run.ok, JSON.stringify(run));
    assert.equal('notices' in run, false);
  });
});
