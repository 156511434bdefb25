// The simulated tenant lets a cancelled request be approved: cancelling an access package request
// or a PIM role request leaves its approval stage InProgress, so `my approvals` still lists it,
// `approve …` answers "Approved your stage", and an access package request comes back from
// `canceled` to `delivered`. In Graph a cancelled request is finished: `canceled` is an end state of
// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
// (requestState) and of
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0
// (status), and cancel applies only to a request that waits
// (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-cancel?view=graph-rest-1.0:
// "Cancel a pending request"):
// nothing is left for an approver to decide. Found by trying the sandbox as the README says
// (`cancel access-request …` then `approve access-request …`). The fault is in the simulated
// tenant's approvals model (src/sandbox/graph/approvalModel.ts, entitlementManagement.ts,
// pimCancel.ts), not in the bot.

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

describe('sandbox: a cancelled request has no approval left to decide', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig));

  it('an access package request cancelled by an administrator cannot be approved, and stays canceled', async () => {
    const megan = r.user(0);
    const id = r.seed.examples.accessApprovalId;
    const cancelled = await r.message(megan, `cancel access-request ${id}`);
    assert.match(text(cancelled.sent), /Cancelled the access package assignment request/);
    assert.equal(r.tenant.getAccessRequest(id)?.state, 'canceled');

    const listed = await r.message(megan, 'my approvals');
    assert.ok(!text(listed.sent).includes(id), 'my approvals no longer lists the cancelled request');

    const approved = await r.message(megan, `approve access-request ${id}`);
    assert.doesNotMatch(text(approved.sent), /Approved your stage/);
    // Nobody approved it: the answer says it closed, never that someone decided first.
    assert.match(text(approved.sent), /is Closed, so it cannot be changed this way/);
    assert.doesNotMatch(text(approved.sent), /decided first|already Approved/);
    assert.equal(r.tenant.getAccessRequest(id)?.state, 'canceled', 'a cancelled request is not delivered');
  });

  it('a PIM role request cancelled by an administrator cannot be approved', async () => {
    const megan = r.user(0);
    const id = r.seed.examples.roleApprovalId;
    const cancelled = await r.message(megan, `cancel role-request ${id}`);
    assert.match(text(cancelled.sent), /Cancelled the role assignment request/);

    const listed = await r.message(megan, 'my approvals');
    assert.ok(!text(listed.sent).includes(id), 'my approvals no longer lists the cancelled request');

    const approved = await r.message(megan, `approve role-request ${id}`);
    assert.doesNotMatch(text(approved.sent), /Approved your stage/);
    assert.match(text(approved.sent), /is Closed, so it cannot be changed this way/);
    assert.equal(r.tenant.getRoleRequest(id)?.status, 'Canceled');
  });

  it('a PIM for Groups request cancelled by an administrator cannot be approved', async () => {
    const megan = r.user(0);
    const id = r.seed.examples.groupApprovalId;
    const cancelled = await r.message(megan, `cancel group-request ${id}`);
    assert.equal(r.tenant.getGroupRequest(id)?.status, 'Canceled', text(cancelled.sent));

    const listed = await r.message(megan, 'my approvals');
    assert.ok(!text(listed.sent).includes(id), 'my approvals no longer lists the cancelled request');

    const approved = await r.message(megan, `approve group-request ${id}`);
    assert.doesNotMatch(text(approved.sent), /Approved your stage/);
    assert.match(text(approved.sent), /is Closed, so it cannot be changed this way/);
    assert.equal(r.tenant.getGroupRequest(id)?.status, 'Canceled');
  });
});
