// PIM for Groups extension and renewal requests wait for an approver like an activation
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend),
// and the request's `action` says which it is
// (https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0).
// Graph cannot decide such a request for roles ("Approval for extend and renew requests is currently
// not supported by the Microsoft Graph API",
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow);
// for groups no page says either way, and their approver "must enter a new start date, end date, and
// assignment type" (groups-renew-extend), which a stage's decision cannot carry (README, unconfirmed
// facts). The bot treats them as it treats the role case: no PATCH, and it says where to decide
// them instead, the blade of groups-approval-workflow: Identity governance > Privileged Identity
// Management > Approve requests > Groups
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-approval-workflow).

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const EXTEND = 'f4b57a8c-da56-4ae0-8aef-65c3a043dbe1';
const RENEW = 'f4b57a8c-da56-4ae0-8aef-65c3a043dbe2';
const WHERE =
  /Microsoft Entra admin center.*Identity governance > Privileged Identity Management > Approve requests > Groups/;
const text = (x: unknown): string => JSON.stringify(x);

interface Row {
  items: Array<{ type?: string; inlines?: Array<{ text: string }>; actions?: unknown[] }>;
}
const rowsOf = (a: Partial<Activity> | undefined): Row[] =>
  ((a?.attachments?.[0]?.content as { body?: Array<{ type?: string }> } | undefined)?.body ?? []).filter(
    (b) => b.type === 'Container',
  ) as unknown as Row[];
const headingOf = (r: Row): string => r.items[0]?.inlines?.[0]?.text ?? '';
const buttonsOf = (r: Row): unknown[] => r.items.find((i) => i.type === 'ActionSet')?.actions ?? [];

describe('PIM for Groups extension and renewal requests through the bot', () => {
  let r: Rig;
  const patches = () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const audits = () => r.logs.filter((l) => l.event === 'governance.action');

  rigPerTest((rig) => {
    r = rig;
    for (const [id, action, ageMinutes] of [
      [EXTEND, 'selfExtend', 1],
      [RENEW, 'selfRenew', 2],
    ] as const) {
      rig.tenant.addGroupRequest({
        id,
        status: 'PendingApproval',
        action,
        groupName: 'Payroll admins',
        accessId: 'member',
        principal: 'Isaiah Langer',
        justification: 'Payroll runs another quarter',
        duration: 'P90D',
        approvers: ['Megan Bowen'],
        ageMinutes,
      });
    }
  });

  for (const [command, id, what] of [
    ['approve group-request', EXTEND, 'extension'],
    ['deny group-request', RENEW, 'renewal'],
  ] as const) {
    it(`${command} of the ${what} request: no PATCH, says to decide it in the Entra admin center's Groups blade, audited INVALID_STATE`, async () => {
      const megan = r.user(0);
      const { sent } = await r.message(megan, `${command} ${id} Still needed`);
      const reply = text(sent);
      assert.match(reply, WHERE, reply.slice(0, 800));
      assert.match(reply, new RegExp(`${what} request for a group membership or ownership`, 'i'));
      assert.match(reply, /cannot be approved or denied through Microsoft Graph/);
      assert.doesNotMatch(reply, /Approved your|Denied your/);
      assert.equal(patches().length, 0, 'nothing was PATCHed');
      assert.equal(r.tenant.getGroupRequest(id)?.status, 'PendingApproval');
      assert.equal(r.tenant.getApproval(id)?.stages[0]?.status, 'InProgress');
      const audit = audits();
      assert.equal(audit.length, 1, text(audit));
      assert.equal(audit[0]?.operation, 'decideGroupApproval');
      assert.equal(audit[0]?.targetId, id);
      assert.equal(audit[0]?.outcome, 'failed');
      assert.equal(audit[0]?.errorCode, 'INVALID_STATE');
      // The last answer from Graph was the read that told the request's action.
      assert.equal(audit[0]?.graphStatus, 200);
    });
  }

  it('a group activation request is still decided, after the same read', async () => {
    const megan = r.user(0);
    const id = r.seed.examples.groupApprovalId;
    const { sent } = await r.message(megan, `approve group-request ${id} Checked`);
    assert.match(text(sent), /Approved your stage of the PIM for Groups request/);
    assert.equal(patches().length, 1);
  });

  it('my approvals: an extension request’s row has no Approve/Deny buttons and says where to decide it', async () => {
    const { sent } = await r.message(r.user(0), 'my approvals');
    const rows = rowsOf(sent.find((a) => a.attachments?.length));
    const row = rows.find((x) => text(x).includes(EXTEND))!;
    assert.ok(row, text(rows).slice(0, 800));
    assert.equal(headingOf(row), 'PIM for Groups · Payroll admins');
    assert.deepEqual(buttonsOf(row), [], 'no buttons on the extension request');
    assert.match(text(row), /extension request/i);
    assert.match(text(row), WHERE);
  });

  it('a notification card’s Approve on a renewal request: no PATCH, and the card loses its buttons for everyone, saying where to decide', async () => {
    const megan = r.user(0);
    const item: Target = { operation: 'decideGroupApproval', ids: { requestId: RENEW } };
    await r.postCard(megan, 'card-renew', item);
    await r.signIn(megan);
    const answer = await r.click(megan, { ...item, decision: 'approve' }, 'card-renew');
    const card = answer.body?.value as { actions?: unknown[] } | undefined;
    assert.match(text(card), WHERE, text(answer.body).slice(0, 800));
    assert.deepEqual(card?.actions ?? [], [], 'no buttons left');
    assert.equal(patches().length, 0);
    assert.equal(audits().at(-1)?.errorCode, 'INVALID_STATE');
    assert.equal(r.tenant.getGroupRequest(RENEW)?.status, 'PendingApproval');
  });
});
