// PIM role extension and renewal requests wait for an approver like an activation, but Microsoft
// Graph cannot decide them: "Approval for extend and renew requests is currently not supported by
// the Microsoft Graph API"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow,
// "Approve pending requests using Microsoft Graph API"). The request's `action` says which it is
// (selfExtend, selfRenew, adminExtend, adminRenew:
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0).
// The bot never sends the PATCH, says where to decide instead (the same page: Microsoft Entra admin
// center, Identity governance > Privileged Identity Management > Approve requests), and audits it.
// PIM for Groups requests have the same `action`
// (https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0)
// and are treated the same way (README, unconfirmed facts: no page says whether Graph decides a
// group extension or renewal; approving a renewal the administrator "must enter a new start date,
// end date, and assignment type", an extension "can choose" them,
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend),
// pointing to the Groups blade: Approve requests > Groups
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-approval-workflow).

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { OperationName, Target } from '../../src/domain/operations';
import { GROUP_EXTEND, GROUP_RENEW, addGroupExtendAndRenew } from '../fixtures/groupExtendRenew';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';
import { buttonsOf as cardButtonsOf } from '../fixtures/cardButtons';

const ROLE_EXTEND = '95c690fb-3eb3-4942-a03f-4524aed6f32c';
const ROLE_RENEW = '95c690fb-3eb3-4942-a03f-4524aed6f32d';
const BLADE = 'Microsoft Entra admin center.*Identity governance > Privileged Identity Management > Approve requests';
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

interface Kind {
  readonly name: string;
  readonly operation: OperationName;
  readonly command: string;
  readonly extend: string;
  readonly renew: string;
  readonly where: RegExp;
  readonly assignment: string;
  readonly example: 'roleApprovalId' | 'groupApprovalId';
  readonly approved: RegExp;
  readonly status: (r: Rig, id: string) => unknown;
  /** A pending extension request for `my approvals`, and its row's heading. */
  readonly addExtension: (r: Rig) => { id: string; heading: string };
}

const KINDS: readonly Kind[] = [
  {
    name: 'PIM role',
    operation: 'decideRoleApproval',
    command: 'role-request',
    extend: ROLE_EXTEND,
    renew: ROLE_RENEW,
    where: new RegExp(BLADE),
    assignment: 'a role assignment',
    example: 'roleApprovalId',
    approved: /Approved your stage of the PIM role request/,
    status: (r, id) => r.tenant.getRoleRequest(id)?.status,
    addExtension: (r) => {
      const id = '95c690fb-3eb3-4942-a03f-4524aed6f3fe';
      r.tenant.addRoleRequest({
        id,
        status: 'PendingApproval',
        action: 'selfExtend',
        roleName: 'Exchange Administrator',
        principal: 'Isaiah Langer',
        justification: 'Migration runs on',
        duration: 'P90D',
        approvers: ['Megan Bowen'],
        ageMinutes: 1,
      });
      return { id, heading: 'PIM role · Exchange Administrator' };
    },
  },
  {
    name: 'PIM for Groups',
    operation: 'decideGroupApproval',
    command: 'group-request',
    extend: GROUP_EXTEND,
    renew: GROUP_RENEW,
    where: new RegExp(`${BLADE} > Groups`),
    assignment: 'a group membership or ownership',
    example: 'groupApprovalId',
    approved: /Approved your stage of the PIM for Groups request/,
    status: (r, id) => r.tenant.getGroupRequest(id)?.status,
    addExtension: () => ({ id: GROUP_EXTEND, heading: 'PIM for Groups · Payroll admins' }),
  },
];

describe('PIM extension and renewal requests through the bot', () => {
  let r: Rig;
  const patches = () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const audits = () => r.logs.filter((l) => l.event === 'governance.action');

  rigPerTest((rig) => {
    r = rig;
    addGroupExtendAndRenew(rig.tenant);
  });

  for (const k of KINDS) {
    for (const [verb, id, what] of [
      ['approve', k.extend, 'extension'],
      ['deny', k.renew, 'renewal'],
    ] as const) {
      it(`${k.name}: ${verb} ${k.command} of the ${what} request: no PATCH, says to decide it in the Entra admin center, audited INVALID_STATE`, async () => {
        const megan = r.user(0);
        const { sent } = await r.message(megan, `${verb} ${k.command} ${id} Still needed`);
        const reply = text(sent);
        assert.match(reply, k.where, reply.slice(0, 800));
        assert.match(reply, new RegExp(`${what} request for ${k.assignment}`, 'i'));
        assert.match(reply, /cannot be approved or denied through Microsoft Graph/);
        assert.doesNotMatch(reply, /Approved your|Denied your/);
        assert.equal(patches().length, 0, 'nothing was PATCHed');
        assert.equal(k.status(r, id), 'PendingApproval');
        assert.equal(r.tenant.getApproval(id)?.stages[0]?.status, 'InProgress');
        const audit = audits();
        assert.equal(audit.length, 1, text(audit));
        assert.equal(audit[0]?.operation, k.operation);
        assert.equal(audit[0]?.targetId, id);
        assert.equal(audit[0]?.outcome, 'failed');
        assert.equal(audit[0]?.errorCode, 'INVALID_STATE');
        // The last answer from Graph was the read that told the request's action.
        assert.equal(audit[0]?.graphStatus, 200);
      });
    }

    it(`${k.name}: an activation request is still decided, after the same read`, async () => {
      const megan = r.user(0);
      const id = r.seed.examples[k.example];
      const { sent } = await r.message(megan, `approve ${k.command} ${id} Checked`);
      assert.match(text(sent), k.approved);
      assert.equal(patches().length, 1);
    });

    it(`${k.name}: my approvals: an extension request’s row has no Approve/Deny buttons and says where to decide it`, async () => {
      const added = k.addExtension(r);
      const { sent } = await r.message(r.user(0), 'my approvals');
      const rows = rowsOf(sent.find((a) => a.attachments?.length));
      const row = rows.find((x) => text(x).includes(added.id));
      assert.ok(row, text(rows).slice(0, 800));
      assert.equal(headingOf(row), added.heading);
      assert.deepEqual(buttonsOf(row), [], 'no buttons on the extension request');
      assert.match(text(row), /extension request/i);
      assert.match(text(row), k.where);
      const undecidable = new Set([ROLE_EXTEND, ROLE_RENEW, GROUP_EXTEND, GROUP_RENEW, added.id]);
      assert.ok(
        rows.filter((x) => ![...undecidable].some((u) => text(x).includes(u))).every((x) => buttonsOf(x).length > 0),
        'the other rows keep their buttons',
      );
    });

    it(`${k.name}: a notification card’s Approve on an extension request: no PATCH, and the card loses its buttons for everyone, saying where to decide`, async () => {
      const megan = r.user(0);
      const item: Target = { operation: k.operation, ids: { requestId: k.extend } };
      await r.postCard(megan, 'card-extend', item);
      await r.signIn(megan);
      const answer = await r.click(megan, { ...item, decision: 'approve' }, 'card-extend');
      const card = answer.body?.value as Record<string, unknown> | undefined;
      assert.match(text(card), k.where, text(answer.body).slice(0, 800));
      assert.deepEqual(cardButtonsOf(card), [], 'no buttons left');
      assert.equal(patches().length, 0);
      assert.equal(audits().at(-1)?.errorCode, 'INVALID_STATE');
      assert.equal(k.status(r, k.extend), 'PendingApproval');
    });
  }
});
