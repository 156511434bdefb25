// A PIM role request whose requester is also named an approver of its step: Entra refuses the
// requester's own decision ("Approvers aren't able to approve their own role activation
// requests"), so the bot must not report it as done, and must say why.
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);
const ID = '5e1f0a11-0000-4aaa-8bbb-00000000c0de';

describe('approvals through the bot: one’s own PIM role request', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
    r.tenant.addRoleRequest({
      id: ID,
      status: 'PendingApproval',
      roleName: 'Exchange Administrator',
      principal: 'Megan Bowen',
      justification: 'Mailbox migration',
      duration: 'PT4H',
      approvers: ['Megan Bowen', 'Lynne Robbins'],
    });
  });

  it('approve role-request on one’s own request: not done, and the answer says it is one’s own request', async () => {
    const { sent } = await r.message(r.user(0), `approve role-request ${ID} Need it now`);
    assert.doesNotMatch(text(sent), /Approved your stage/);
    assert.match(text(sent), /own request/i);
    assert.equal(r.tenant.getRoleRequest(ID)?.status, 'PendingApproval');
  });
});
