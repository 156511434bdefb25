// The decision of an approver of two consecutive stages (the seed's "Finance reports" access
// request: Megan Bowen or Lynne Robbins approve its first stage, Lynne alone its second) whose PATCH
// lands but whose answer is a 503: Graph's answer leaves the write's outcome unknown
// (https://learn.microsoft.com/en-us/graph/errors), the read after shows Lynne's second stage open,
// and the one re-send must not decide that second stage, which the decision never named. A stage
// is decided by a PATCH of that stage
// (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0); the next
// stage starts when the one before is approved, and the read lists every stage with who approved it
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH } from './botRig';
import { FINANCE_REPORTS as FINANCE, approveOf, twoStageCard } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE);

describe('approvals: a decision whose answer was lost decides one stage only', () => {
  // A read answered 503 is sent again after a back-off, as a 429 is (graphCaller.ts): no real waits here.
  const card = twoStageCard(APPROVE, { graphSleep: () => Promise.resolve() });
  beforeEach(() => {
    const r = card.rig();
    // The first PATCH reaches Graph and is applied; its answer is a 503.
    let lost = false;
    const graph = tenantFetch(r.tenant, GRAPH);
    r.hold = (req) => {
      if (req.method !== 'PATCH' || lost) return null;
      lost = true;
      return (async () => {
        const { status } = await graph(req);
        assert.equal(status, 204, 'the first PATCH was applied');
        return new Response(JSON.stringify({ error: { code: 'serviceUnavailable', message: 'x' } }), {
          status: 503,
          headers: { 'content-type': 'application/json' },
        });
      })();
    };
  });
  const stages = () =>
    card
      .rig()
      .tenant.getApproval(FINANCE)
      ?.stages.map((s) => s.status);
  const audits = () => card.rig().logs.filter((l) => l.event === 'governance.action');

  it('a card click: the first stage is approved once, the click says so and its audit line says succeeded', async () => {
    const lynne = card.rig().user(5);
    const shown = await card.press(lynne);
    assert.deepEqual(stages(), ['Completed', 'InProgress'], 'the second stage still waits');
    assert.match(JSON.stringify(shown), /Approved by Lynne Robbins/);
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.outcome, 'succeeded', JSON.stringify(audits()[0]));
  });

  it('a typed approve: the first stage is approved once, the second still waits', async () => {
    const lynne = card.rig().user(5);
    await card.rig().message(lynne, `approve access-request ${FINANCE}`);
    assert.deepEqual(stages(), ['Completed', 'InProgress'], 'the second stage still waits');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.outcome, 'succeeded', JSON.stringify(audits()[0]));
  });

  it('a typed approve whose read before the write goes unanswered never decides the second stage', async () => {
    // The read that names the stage answers 503 (a 5xx says nothing about the item:
    // https://learn.microsoft.com/en-us/graph/errors); the PATCH that follows, if one is sent, lands
    // with its answer lost as above. A re-send without the stage named would decide Lynne's next one.
    const r = card.rig();
    const lost = r.hold;
    let unanswered = false;
    // Every attempt of that first read call (its retries share its client-request-id).
    let firstRead: string | null = null;
    r.hold = (req) => {
      if (req.method === 'GET' && (firstRead === null || req.headers.get('client-request-id') === firstRead)) {
        firstRead = req.headers.get('client-request-id');
        unanswered = true;
        return Promise.resolve(
          new Response(JSON.stringify({ error: { code: 'serviceUnavailable', message: 'x' } }), {
            status: 503,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }
      return lost?.(req) ?? null;
    };
    const lynne = r.user(5);
    await r.message(lynne, `approve access-request ${FINANCE}`);
    assert.ok(unanswered, 'the first read went unanswered');
    assert.notEqual(stages()?.[1], 'Completed', `one command decided two stages: ${JSON.stringify(stages())}`);
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.graphStatus, 503, JSON.stringify(audits()[0]));
  });
});
