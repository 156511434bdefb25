// An approver named on their own request. Microsoft's docs say they cannot decide it: "Approvers
// aren't able to approve their own role activation requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow)
// and "Approvers aren't able to approve their own access package requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// `my approvals` does not offer such a request to its requester, and a PIM role decision on one's
// own request is refused before any write reaches Graph (the bot reads the request first, through
// the approver's own filter, as it does for extensions). The PIM for Groups approval page says
// nothing of it (groups-approval-workflow): those stay as they were.

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { headings, listSession } from './listSession';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);
const ROLE = '5e1f0a11-0000-4aaa-8bbb-00000000c0de';
const ACCESS = '5e1f0a11-0000-4aaa-8bbb-00000000c0df';
const GROUP = '5e1f0a11-0000-4aaa-8bbb-00000000c0e0';

function addOwn(r: Rig): void {
  r.tenant.addRoleRequest({
    id: ROLE,
    status: 'PendingApproval',
    roleName: 'Exchange Administrator',
    principal: 'Megan Bowen',
    justification: 'Mailbox migration',
    duration: 'PT4H',
    approvers: ['Megan Bowen', 'Lynne Robbins'],
  });
  r.tenant.addAccessRequest({
    id: ACCESS,
    state: 'pendingApproval',
    status: 'PendingApproval',
    accessPackageName: 'Own package',
    requestor: 'Megan Bowen',
    requestType: 'userAdd',
    approvers: ['Megan Bowen', 'Lynne Robbins'],
  });
  r.tenant.addGroupRequest({
    id: GROUP,
    status: 'PendingApproval',
    groupName: 'Own group',
    accessId: 'member',
    principal: 'Megan Bowen',
    justification: 'On call',
    duration: 'PT4H',
    approvers: ['Megan Bowen', 'Lynne Robbins'],
  });
}

describe('approvals through the bot: an approver’s own request', () => {
  let r: Rig;
  const patches = () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  rigPerTest((rig) => {
    r = rig;
    addOwn(rig);
  });

  for (const verb of ['approve', 'deny'] as const) {
    it(`${verb} role-request of one’s own request: refused before any write, says so and how to withdraw it`, async () => {
      const { sent } = await r.message(r.user(0), `${verb} role-request ${ROLE} Need it now`);
      const reply = text(sent);
      assert.equal(patches().length, 0, 'no decision reached Graph');
      assert.match(reply, /your own request/i);
      assert.match(reply, new RegExp(`cancel role-request ${ROLE}`));
      assert.equal(r.tenant.getRoleRequest(ROLE)?.status, 'PendingApproval');
      const audit = r.logs.filter((l) => l.event === 'governance.action').at(-1);
      assert.equal(audit?.errorCode, 'NOT_PERMITTED');
    });
  }

  it('another approver of the stage still decides it', async () => {
    await r.message(r.user(5), `approve role-request ${ROLE} Fine`);
    assert.equal(r.tenant.getRoleRequest(ROLE)?.status, 'Provisioned');
  });

  // The approval tells nothing of who asked; the request read through the approver's own filter
  // (EntitlementManagement.Read.All, the approval read's permission) does, by its requestor:
  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
  for (const verb of ['approve', 'deny'] as const) {
    it(`${verb} access-request of one’s own request: refused before any write, says so and how to withdraw it`, async () => {
      const { sent } = await r.message(r.user(0), `${verb} access-request ${ACCESS} Need it now`);
      const reply = text(sent);
      assert.equal(patches().length, 0, 'no decision reached Graph');
      assert.match(reply, /This is your own request/);
      assert.match(reply, new RegExp(`cancel access-request ${ACCESS}`));
      assert.equal(r.tenant.getAccessRequest(ACCESS)?.state, 'pendingApproval');
      const audit = r.logs.filter((l) => l.event === 'governance.action').at(-1);
      assert.equal(audit?.errorCode, 'NOT_PERMITTED');
    });
  }

  it('found on a later page of the approver’s waiting requests too; another approver still decides it', async () => {
    // More requests waiting for her than one page of the approver filter holds (the sandbox serves
    // 25), all before her own: the read follows @odata.nextLink (https://learn.microsoft.com/graph/paging).
    for (let i = 0; i < 30; i++) {
      r.tenant.addAccessRequest({
        id: `5e1f0a11-0000-4aaa-8bbb-${(0xd000 + i).toString(16).padStart(12, '0')}`,
        state: 'pendingApproval',
        status: 'PendingApproval',
        accessPackageName: 'Other package',
        requestor: 'Adele Vance',
        requestType: 'userAdd',
        approvers: ['Megan Bowen', 'Lynne Robbins'],
      });
    }
    const late = '5e1f0a11-0000-4aaa-8bbb-00000000c0e1';
    r.tenant.addAccessRequest({
      id: late,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Own package',
      requestor: 'Megan Bowen',
      requestType: 'userAdd',
      approvers: ['Megan Bowen', 'Lynne Robbins'],
    });
    const { sent } = await r.message(r.user(0), `approve access-request ${late}`);
    assert.match(text(sent), /This is your own request/);
    assert.equal(patches().length, 0, 'no decision reached Graph');
    await r.message(r.user(5), `approve access-request ${late} Fine`);
    assert.equal(patches().length, 1);
    assert.equal(r.tenant.getAccessRequest(late)?.state, 'delivered');
  });
});

describe('my approvals: an approver’s own requests', () => {
  let rig: Rig;
  const { list } = listSession((r) => {
    rig = r;
    addOwn(r);
  });

  it('lists neither one’s own PIM role request nor one’s own access package request; a PIM for Groups one stays', async () => {
    const megan = await list(rig.user(0), 'my approvals');
    const mine = headings(megan.content);
    assert.ok(!mine.includes('PIM role · Exchange Administrator'), mine.join(' | '));
    assert.ok(!mine.includes('Access package · Own package'), mine.join(' | '));
    // The groups approval page says nothing of one's own request (groups-approval-workflow).
    assert.ok(mine.includes('PIM for Groups · Own group'), mine.join(' | '));
    // Another approver of it still sees it (her PIM role list needs a PIM read role she lacks).
    const lynne = headings((await list(rig.user(5), 'my approvals')).content);
    assert.ok(lynne.includes('Access package · Own package'), lynne.join(' | '));
  });
});
