// An approver who approves without a justification where the access package policy requires one
// (the stage's isApproverJustificationRequired: "Indicates whether the approver is required to
// provide a justification for approving a request",
// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage?view=graph-rest-1.0)
// is refused by Graph (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).
// The approval still waits, so the reply says what was missing and how to approve with a reason,
// not only "refused, check the admin center".

import { strict as assert } from 'node:assert';
import type { Target } from '../../src/domain/operations';
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

describe('approvals through a card: a policy that requires the approver to justify', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), {
    silent: true,
    tenant: new SimulatedTenant(seedWithApproverJustification(true)),
  });

  // The card's Approve button has no text box (only Deny asks for a reason, cards/actionable.json),
  // so the reply to a click must not send the approver to type a reason in the card.
  it('approve from a card without a reason: refused, the reply names the command, not a box the card lacks', async () => {
    const id = r.seed.examples.accessApprovalId;
    const approve: Target = { operation: 'decideAccessPackageApproval', ids: { requestId: id }, decision: 'approve' };
    const megan = r.user(0);
    await r.signIn(megan);
    await r.postCard(megan, 'card-j', approve);
    const click = await r.click(megan, approve, 'card-j');
    const words = text(click.body.value);
    assert.match(words, /You gave no justification/, words.slice(0, 800));
    assert.match(words, new RegExp(`approve access-request ${id} <reason>`));
    assert.doesNotMatch(words, /type it in the card/i, 'the card has no box for an approval reason');
    assert.equal(r.tenant.getAccessRequest(id)?.state, 'pendingApproval');
  });
});
