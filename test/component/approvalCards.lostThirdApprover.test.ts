// An approver of two consecutive stages (the seed's "Finance reports" access request: Megan Bowen
// or Lynne Robbins approve its first stage, Lynne alone its second) approves the first, but Megan
// approved it just before Lynne's PATCH came: Graph refuses it ("already been approved by another
// approver in the same approval stage",
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0), and that
// answer is lost (a 503: the write's outcome is unknown, https://learn.microsoft.com/en-us/graph/errors).
// By the read after it, Lynne had approved her second stage elsewhere. The read lists every stage
// with its reviewedBy (https://learn.microsoft.com/en-us/graph/api/approval-list-stages?view=graph-rest-1.0):
// the stage Lynne's write was for was Megan's decision, so Lynne is never told hers was applied.

import { strict as assert } from 'node:assert';
import { tenantFetch } from '../../src/sandbox/server';
import { decide } from '../../src/sandbox/graph/approvalModel';
import { GRAPH } from './botRig';
import { FINANCE_REPORTS as FINANCE, approveOf, twoStageCard } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE);

describe('approvals: a lost approval of a stage a third approver decided first', () => {
  const card = twoStageCard(APPROVE, { graphSleep: () => Promise.resolve() });
  beforeEach(() => {
    const r = card.rig();
    const graph = tenantFetch(r.tenant, GRAPH);
    let lost = false;
    r.hold = (req) => {
      if (req.method !== 'PATCH' || lost) return null;
      lost = true;
      return (async () => {
        const a = r.tenant.getApproval(FINANCE);
        assert.ok(a);
        const [first, second] = a.stages;
        const megan = { id: r.user(0).aadObjectId, displayName: r.user(0).name };
        const lynne = { id: r.user(5).aadObjectId, displayName: r.user(5).name };
        assert.equal(decide(a, first!.id, megan, { reviewResult: 'Approve' }, Date.now()), null);
        const { status } = await graph(req);
        assert.equal(status, 409, 'Lynne’s PATCH of the first stage is refused');
        assert.equal(decide(a, second!.id, lynne, { reviewResult: 'Approve' }, Date.now()), null);
        return new Response(JSON.stringify({ error: { code: 'serviceUnavailable', message: 'x' } }), {
          status: 503,
          headers: { 'content-type': 'application/json' },
        });
      })();
    };
  });
  const audits = () => card.rig().logs.filter((l) => l.event === 'governance.action');
  const told = (words: string) => {
    assert.doesNotMatch(words, /confirmed it took effect/, words);
    assert.match(words, /already Approved by Megan Bowen/, words);
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.notEqual(audits()[0]?.outcome, 'succeeded', JSON.stringify(audits()[0]));
  };

  it('a card click: told as Megan’s decision, not Lynne’s', async () => {
    const shown = await card.press(card.rig().user(5));
    told(JSON.stringify(shown));
  });

  it('a typed approve: told as Megan’s decision, not Lynne’s', async () => {
    const r = card.rig();
    const turn = await r.message(r.user(5), `approve access-request ${FINANCE}`);
    told(JSON.stringify(turn));
  });
});
