// An approval card shared by the approvers of a two-stage request (one card in a channel): its
// buttons must stay for the second stage's approvers until the request itself is settled, however
// the first stage was decided and however Graph shows the stages that have not started.
// README, "Notifications": "An approved stage with a later stage to come changes the card for
// everyone to say so, and the buttons stay for that stage's approvers; the card loses them when the
// request is settled."
// Graph: a stage is InProgress, Initializing, Completed or Expired; the next stage starts when the
// one before is approved (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).
// No Graph page says that an approval lists a stage before it starts: the only examples
// (https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/approval-list-stages?view=graph-rest-1.0) show a
// single InProgress stage.

import { strict as assert } from 'node:assert';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig } from './botRig';
import { TWO_STAGES, twoStageCard } from './twoStageCard';

describe('approval cards: a two-stage request’s card in a channel', () => {
  const card = twoStageCard();
  const { pressApprove, stagePatches, buttons } = card;
  let r: Rig;
  beforeEach(() => {
    r = card.rig();
  });

  it('approving the first stage through the card leaves the buttons for the second stage’s approver', async () => {
    const [megan, lynne] = [r.user(0), r.user(5)];
    const first = await pressApprove(megan);
    assert.ok(buttons(first?.value).includes('Approve'), `the card keeps Approve: ${JSON.stringify(first)}`);
    r.tenant.clearLog();
    await pressApprove(lynne);
    assert.equal(stagePatches().length, 1, 'the second stage’s approver decides through the card');
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'Provisioned');
  });

  it('a first-stage approver who approved elsewhere (a typed command) and then presses the card leaves its buttons for the second stage', async () => {
    const [megan, lynne] = [r.user(0), r.user(5)];
    await r.message(megan, `approve role-request ${TWO_STAGES} Checked with the requester`);
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'PendingApproval', 'the second stage still waits');

    const shown = await pressApprove(megan);
    // Megan's own stage is decided, the request is not: the card must not lose its buttons for everyone.
    assert.ok(buttons(shown?.value).includes('Approve'), `the card keeps Approve: ${JSON.stringify(shown)}`);

    r.tenant.clearLog();
    await pressApprove(lynne);
    assert.equal(stagePatches().length, 1, 'the second stage’s approver decides through the card');
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'Provisioned');
  });

  it('when Graph lists only the stages that have started, approving the first stage still leaves the buttons for the second', async () => {
    const [megan, lynne] = [r.user(0), r.user(5)];
    // Graph as its examples show it: the approval read names no stage that has not started.
    const graph = tenantFetch(r.tenant, GRAPH);
    r.hold = (req) => {
      if (req.method !== 'GET' || !req.url.includes(`/roleAssignmentApprovals/${TWO_STAGES}`)) return null;
      return (async () => {
        const res = await graph(req.url, { method: 'GET', headers: req.headers });
        const body = (await res.json()) as { steps?: Array<{ status?: string }> };
        body.steps = (body.steps ?? []).filter((s) => s.status !== 'Initializing' && s.status !== 'NotStarted');
        return new Response(JSON.stringify(body), {
          status: res.status,
          headers: { 'content-type': 'application/json' },
        });
      })();
    };

    const first = await pressApprove(megan);
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'PendingApproval', 'the second stage still waits');
    assert.ok(buttons(first?.value).includes('Approve'), `the card keeps Approve: ${JSON.stringify(first)}`);

    r.tenant.clearLog();
    await pressApprove(lynne);
    assert.equal(stagePatches().length, 1, 'the second stage’s approver decides through the card');
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'Provisioned');
  });
});
