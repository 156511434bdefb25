// An approver who approves without a justification where the access package policy requires one
// (the stage's isApproverJustificationRequired: "Indicates whether the approver is required to
// provide a justification for approving a request",
// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage?view=graph-rest-1.0)
// is refused by Graph (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).
// The approval still waits, so the reply says what was missing and how to approve with a reason,
// not only "refused, check the admin center".

import { strict as assert } from 'node:assert';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { seedWithApproverJustification } from '../fixtures/approverJustificationSeed';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

describe('approvals through the bot: a policy that requires the approver to justify', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), {
    silent: true,
    tenant: new SimulatedTenant(seedWithApproverJustification(true)),
  });

  it('approve without a reason: refused, the reply asks for a reason and names the command to send', async () => {
    const id = r.seed.examples.accessApprovalId;
    const { sent } = await r.message(r.user(0), `approve access-request ${id}`);
    const words = text(sent);
    assert.match(words, /You gave no justification/, words.slice(0, 800));
    assert.match(words, new RegExp(`approve access-request ${id} <reason>`));
    assert.doesNotMatch(words, /Approved your/);
    assert.equal(r.tenant.getAccessRequest(id)?.state, 'pendingApproval');
  });

  it('approve with a reason: approved', async () => {
    const id = r.seed.examples.accessApprovalId;
    const { sent } = await r.message(r.user(0), `approve access-request ${id} Quarter close, confirmed`);
    assert.match(text(sent), /Approved your stage of the access package request/);
  });
});
