// PIM role extension and renewal requests wait for an approver like an activation, but Microsoft
// Graph cannot decide them: "Approval for extend and renew requests is currently not supported by
// the Microsoft Graph API"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow,
// "Approve pending requests using Microsoft Graph API"). The request's `action` says which it is
// (selfExtend, selfRenew, adminExtend, adminRenew:
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0).
// The bot never sends the PATCH, says where to decide instead (the same page: Microsoft Entra admin
// center, Identity governance > Privileged Identity Management > Approve requests), and audits it.

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const EXTEND = '95c690fb-3eb3-4942-a03f-4524aed6f32c';
const RENEW = '95c690fb-3eb3-4942-a03f-4524aed6f32d';
const WHERE = /Microsoft Entra admin center.*Identity governance > Privileged Identity Management > Approve requests/;
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

describe('PIM role extension and renewal requests through the bot', () => {
  let r: Rig;
  const patches = () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const audits = () => r.logs.filter((l) => l.event === 'governance.action');

  rigPerTest((rig) => (r = rig));

  for (const [command, id, what] of [
    ['approve role-request', EXTEND, 'extension'],
    ['deny role-request', RENEW, 'renewal'],
  ] as const) {
    it(`${command} of the ${what} request: no PATCH, says to decide it in the Entra admin center, audited INVALID_STATE`, async () => {
      const megan = r.user(0);
      const { sent } = await r.message(megan, `${command} ${id} Still needed`);
      const reply = text(sent);
      assert.match(reply, WHERE, reply.slice(0, 800));
      assert.match(reply, new RegExp(`${what} request`, 'i'));
      assert.match(reply, /cannot be approved or denied through Microsoft Graph/);
      assert.doesNotMatch(reply, /Approved your|Denied your/);
      assert.equal(patches().length, 0, 'nothing was PATCHed');
      assert.equal(r.tenant.getRoleRequest(id)?.status, 'PendingApproval');
      assert.equal(r.tenant.getApproval(id)?.stages[0]?.status, 'InProgress');
      const audit = audits();
      assert.equal(audit.length, 1, text(audit));
      assert.equal(audit[0]?.operation, 'decideRoleApproval');
      assert.equal(audit[0]?.targetId, id);
      assert.equal(audit[0]?.outcome, 'failed');
      assert.equal(audit[0]?.errorCode, 'INVALID_STATE');
      // The last answer from Graph was the read that told the request's action.
      assert.equal(audit[0]?.graphStatus, 200);
    });
  }

  it('an activation request is still decided, after the same read', async () => {
    const megan = r.user(0);
    const id = r.seed.examples.roleApprovalId;
    const { sent } = await r.message(megan, `approve role-request ${id} Checked`);
    assert.match(text(sent), /Approved your stage of the PIM role request/);
    assert.equal(patches().length, 1);
  });

  it('my approvals: an extension request’s row has no Approve/Deny buttons and says where to decide it', async () => {
    r.tenant.addRoleRequest({
      id: '95c690fb-3eb3-4942-a03f-4524aed6f3fe',
      status: 'PendingApproval',
      action: 'selfExtend',
      roleName: 'Exchange Administrator',
      principal: 'Isaiah Langer',
      justification: 'Migration runs on',
      duration: 'P90D',
      approvers: ['Megan Bowen'],
      ageMinutes: 1,
    });
    const { sent } = await r.message(r.user(0), 'my approvals');
    const rows = rowsOf(sent.find((a) => a.attachments?.length));
    const row = rows[0]!;
    assert.equal(headingOf(row), 'PIM role · Exchange Administrator');
    assert.deepEqual(buttonsOf(row), [], 'no buttons on the extension request');
    assert.match(text(row), /extension request/i);
    assert.match(text(row), WHERE);
    assert.ok(
      rows.slice(1).every((x) => buttonsOf(x).length > 0),
      'the other rows keep their buttons',
    );
  });

  it('a notification card’s Approve on an extension request: no PATCH, and the card loses its buttons for everyone, saying where to decide', async () => {
    const megan = r.user(0);
    const item: Target = { operation: 'decideRoleApproval', ids: { requestId: EXTEND } };
    await r.postCard(megan, 'card-extend', item);
    await r.signIn(megan);
    const answer = await r.click(megan, { ...item, decision: 'approve' }, 'card-extend');
    const card = answer.body?.value as { actions?: unknown[] } | undefined;
    assert.match(text(card), WHERE, text(answer.body).slice(0, 800));
    assert.deepEqual(card?.actions ?? [], [], 'no buttons left');
    assert.equal(patches().length, 0);
    assert.equal(audits().at(-1)?.errorCode, 'INVALID_STATE');
    assert.equal(r.tenant.getRoleRequest(EXTEND)?.status, 'PendingApproval');
  });
});
