// The sandbox's demo adds an approval item for the demo user (besides the requests and the task):
// a PIM role request that user's "my approvals" lists, by Graph's approver filter.
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('sandbox demo items', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  it('with the demo user as approver: a role request waiting for their decision, listed in my approvals', async () => {
    const megan = rig.user(0);
    const ids = rig.tenant.addDemoItems(megan.aadObjectId);
    assert.ok(ids.roleApprovalId);
    assert.equal(ids.roleApprovalPrincipal, 'Diego Siciliani', 'someone else asked');
    const { sent } = await rig.message(megan, 'my approvals');
    assert.match(cardsOf(sent), new RegExp(ids.roleApprovalId));
    assert.match(cardsOf(sent), /Exchange Administrator/);
  });

  it('without an approver: no approval item', () => {
    assert.equal(rig.tenant.addDemoItems().roleApprovalId, null);
  });
});
