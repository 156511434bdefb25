// `requestAction` on a roleApproval event: the PIM role request's `action`, whose values
// unifiedRoleAssignmentScheduleRequest lists
// (https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0);
// Microsoft's own examples write them with a capital ("SelfActivate", same page's request
// examples), so they are compared without regard to case. An extension or a renewal cannot be
// approved through Graph
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// A PIM for Groups request has an `action` too
// (https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0),
// and its members and owners ask to extend or renew as role holders do
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend):
// a groupApproval event takes the same values.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const approval = {
  eventId: 'apr-1',
  kind: 'roleApproval',
  target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f32a',
  principalName: 'Patti Fernandez',
  roleName: 'Teams Administrator',
};
const ACTIONS = [
  'adminAssign',
  'adminUpdate',
  'adminRemove',
  'selfActivate',
  'selfDeactivate',
  'adminExtend',
  'adminRenew',
  'selfExtend',
  'selfRenew',
];
const actionOf = (r: ReturnType<typeof parseEvent>): unknown =>
  r.ok ? (r.event as unknown as Record<string, unknown>).requestAction : `refused: ${r.problems.join(' ')}`;
const problemsOf = (r: ReturnType<typeof parseEvent>): string => (r.ok ? 'accepted' : r.problems.join(' '));

describe('intake: requestAction of a roleApproval event', () => {
  it('takes every action the request can have, in any case, as Graph spells it', () => {
    for (const action of ACTIONS) {
      for (const written of [action, action.toUpperCase(), action[0]!.toUpperCase() + action.slice(1)]) {
        assert.equal(actionOf(parseEvent({ ...approval, requestAction: written })), action, written);
      }
    }
  });

  it('refuses an unknown value or another type with 400 naming the field and the accepted values', () => {
    for (const bad of ['selfExtension', 'extend', '', 'unknownFutureValue', 7, true, ['selfExtend'], { action: 'x' }]) {
      const r = parseEvent({ ...approval, requestAction: bad });
      assert.ok(!r.ok, JSON.stringify(bad));
      assert.match(
        problemsOf(r),
        new RegExp(`requestAction must be one of ${ACTIONS.join(', ')}`),
        JSON.stringify(bad),
      );
    }
  });

  it('changes nothing when absent (or null): the event is the one it was before', () => {
    const without = parseEvent(approval);
    assert.ok(without.ok);
    assert.ok(!('requestAction' in without.event), JSON.stringify(without.event));
    assert.deepEqual(parseEvent({ ...approval, requestAction: null }), without);
  });

  it('is taken on a groupApproval event as on a roleApproval, in any case, and refused there when unknown', () => {
    const group = { ...approval, kind: 'groupApproval', groupName: 'Finance approvers' };
    for (const action of ACTIONS) {
      for (const written of [action, action.toUpperCase(), action[0]!.toUpperCase() + action.slice(1)]) {
        assert.equal(actionOf(parseEvent({ ...group, requestAction: written })), action, written);
      }
    }
    const bad = parseEvent({ ...group, requestAction: 'selfExtension' });
    assert.match(problemsOf(bad), new RegExp(`requestAction must be one of ${ACTIONS.join(', ')}`));
  });

  it('is refused on the other kinds: only a PIM approval card offers a decision Graph may not take', () => {
    for (const kind of ['roleRequest', 'accessApproval', 'groupRequest', 'accessRequest', 'workflowRun']) {
      const r = parseEvent({ ...approval, kind, groupName: 'g', accessPackageName: 'p', requestAction: 'selfExtend' });
      assert.ok(!r.ok, kind);
      assert.match(problemsOf(r), /requestAction is for roleApproval and groupApproval events only/, kind);
    }
  });
});
