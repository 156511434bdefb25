// The final word a shared approval card remembers (cardGate.ts) answers every later click without
// Graph, so it must be remembered only when the request itself is settled; and a card must not
// tell everyone a request still waits once Graph shows it settled.
// README, "Notifications": "An approved stage with a later stage to come changes the card for
// everyone to say so, and the buttons stay for that stage's approvers; the card loses them when the
// request is settled."
// Graph: a stage is InProgress, Initializing, Completed or Expired; the next stage starts when the
// one before is approved (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).
// The approval read is made by an approver (https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0);
// the gateway words its 404 "no longer exists, or you cannot see it" (graphErrors.ts).

import { strict as assert } from 'node:assert';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig } from './botRig';
import { TWO_STAGES, twoStageCard } from './twoStageCard';

const APPROVAL_URL = `/roleAssignmentApprovals/${TWO_STAGES}`;

describe('approval cards: the final word a shared card remembers', () => {
  const card = twoStageCard();
  const { pressApprove, stagePatches, buttons } = card;
  let r: Rig;
  beforeEach(() => {
    r = card.rig();
  });

  const failure = (status: number, code: string) =>
    Promise.resolve(
      new Response(JSON.stringify({ error: { code, message: 'refused by the test' } }), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );

  it('the read after an approve failing does not give the card a final word that keeps the second stage’s approver from Graph', async () => {
    const [megan, lynne] = [r.user(0), r.user(5)];
    // Graph lists only started stages (the only shape its examples show), so the read before the
    // approve cannot tell that a second stage follows; the read after the approve then fails.
    const graph = tenantFetch(r.tenant, GRAPH);
    let patched = false;
    let failAfterPatch = true;
    r.hold = (req) => {
      if (req.method === 'PATCH') {
        patched = true;
        return null;
      }
      if (req.method !== 'GET' || !req.url.includes(APPROVAL_URL)) return null;
      if (patched && failAfterPatch) {
        failAfterPatch = false;
        return failure(500, 'InternalServerError');
      }
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

    await pressApprove(megan);
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'PendingApproval', 'the second stage still waits');

    // Whatever the card showed Megan, nothing is known settled: Lynne's click must reach Graph.
    r.tenant.clearLog();
    await pressApprove(lynne);
    assert.equal(stagePatches().length, 1, 'the second stage’s approver decides through the card');
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'Provisioned');
  });

  it('a not-found answer to one reader’s read does not give the card a final word that keeps the approver from Graph', async () => {
    const [adele, megan] = [r.user(1), r.user(0)];
    // One reader's approval read is answered 404 (not an approver, or a new approval not yet
    // readable everywhere); the gateway itself says "no longer exists, or you cannot see it".
    let notFoundOnce = true;
    r.hold = (req) => {
      if (req.method !== 'GET' || !req.url.includes(APPROVAL_URL) || !notFoundOnce) return null;
      notFoundOnce = false;
      return failure(404, 'ResourceNotFound');
    };

    await pressApprove(adele);
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'PendingApproval', 'the request exists and waits');

    r.tenant.clearLog();
    await pressApprove(megan);
    assert.equal(stagePatches().length, 1, 'the first stage’s approver decides through the card');
  });

  it('a first-stage approver’s press after the second stage was approved elsewhere does not reopen the card for everyone', async () => {
    const [megan, lynne] = [r.user(0), r.user(5)];
    const first = await pressApprove(megan);
    assert.ok(buttons(first?.value).includes('Approve'), 'the card keeps Approve for the second stage');
    // Lynne decides the second stage by a typed command: this card is not edited.
    await r.message(lynne, `approve role-request ${TWO_STAGES} Checked with the requester`);
    assert.equal(r.tenant.getRoleRequest(TWO_STAGES)?.status, 'Provisioned', 'the request is settled');

    const again = await pressApprove(megan);
    const shown = JSON.stringify(again);
    // Graph shows every stage approved: the card must not say the request still waits, nor keep buttons.
    assert.ok(!/waits for the approvers of its next stage/.test(shown), `the card says it still waits: ${shown}`);
    assert.ok(!buttons(again?.value).includes('Approve'), `the card offers Approve on a settled request: ${shown}`);
  });
});
