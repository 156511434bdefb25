// Whose decision an approval notification says it waits for. The approval kinds are addressed to
// an approver (target.userId), a channel or a category (README "Notification intake"); only the
// first is read by the approver alone, so only that card says "your decision".
import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const ID = '7f3c2b1a-9e8d-4c6b-a5f4-3e2d1c0b9a87';
const KINDS = [
  ['roleApproval', 'roleName'],
  ['groupApproval', 'groupName'],
  ['accessApproval', 'accessPackageName'],
] as const;

function text(kind: string, field: string, target: object): string {
  const parsed = parseEvent({
    eventId: `e-${kind}`,
    kind,
    target,
    requestId: ID,
    principalName: 'Patti',
    [field]: 'X',
  });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.event.text;
}

describe('approvals: whose decision a notification says it waits for', () => {
  it('says "your decision" to the approver it is addressed to', () => {
    for (const [kind, field] of KINDS) {
      assert.ok(
        text(kind, field, { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' }).includes('It waits for your decision.'),
      );
    }
  });

  it("says an approver's decision to a channel or a category, whose readers are not each an approver", () => {
    for (const [kind, field] of KINDS) {
      for (const target of [{ channelId: '19:ops@thread.tacv2' }, { category: 'roleRequests' }]) {
        const said = text(kind, field, target);
        assert.ok(said.includes("It waits for an approver's decision."), said);
        assert.ok(!said.includes('your decision'), said);
      }
    }
  });
});
