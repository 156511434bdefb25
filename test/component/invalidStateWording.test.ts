// A cancel refused for the item's state says in which states it works: any one of them, so the
// list reads "a, b or c", not "a, b, c" (a workflow run's read "queued, inProgress", as if both).
// States from the cancel pages: PIM role requests "Granted" and the pending ones
// (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('a refusal for the item’s state names the states it works in', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });

  it('joins them with "or"', async () => {
    // 95c690fb-…f322 is Provisioned in the seed (README "The sandbox").
    const { sent } = await r.message(r.user(0), 'cancel role-request 95c690fb-3eb3-4942-a03f-4524aed6f322');
    const reply = JSON.stringify(sent);
    assert.match(reply, /The role assignment request is Provisioned/, reply);
    assert.match(
      reply,
      /only while the role assignment request is Granted, PendingApproval, PendingApprovalProvisioning or PendingAdminDecision\./,
      reply,
    );
  });
});
