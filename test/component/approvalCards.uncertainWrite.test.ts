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
import * as fs from 'node:fs';
import { buttonData } from '../../src/bot/cardActions';
import { Target } from '../../src/domain/operations';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig } from './botRig';

const FINANCE = '7999249e-249e-7999-9e24-99799e249984';
const CHANNEL = '19:approvers@thread.tacv2';
const CARD = 'card-finance-reports';
const APPROVE: Target = { operation: 'decideAccessPackageApproval', ids: { requestId: FINANCE }, decision: 'approve' };

describe('approvals: a decision whose answer was lost decides one stage only', () => {
  let dir: string;
  let r: Rig;
  beforeEach(async () => {
    dir = Rig.dir();
    r = new Rig(dir, { silent: true });
    await r.bindings.bind(CHANNEL, CARD, [{ operation: APPROVE.operation, ids: APPROVE.ids }]);
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
  afterEach(async () => {
    await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const stages = () => r.tenant.getApproval(FINANCE)?.stages.map((s) => s.status);
  const audits = () => r.logs.filter((l) => l.event === 'governance.action');

  it('a card click: the first stage is approved once, the click says so and its audit line says succeeded', async () => {
    const lynne = r.user(5);
    const value = { action: { type: 'Action.Execute', verb: 'governance.act', data: buttonData(APPROVE) } };
    const turn = await r.invoke(lynne, 'adaptiveCard/action', value, {
      replyToId: CARD,
      conversation: { id: CHANNEL, conversationType: 'channel', tenantId: r.seed.tenantId, isGroup: true, name: '' },
    });
    assert.deepEqual(stages(), ['Completed', 'InProgress'], 'the second stage still waits');
    assert.match(JSON.stringify(turn.invoke?.body), /Approved by Lynne Robbins/);
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.outcome, 'succeeded', JSON.stringify(audits()[0]));
  });

  it('a typed approve: the first stage is approved once, the second still waits', async () => {
    const lynne = r.user(5);
    await r.message(lynne, `approve access-request ${FINANCE}`);
    assert.deepEqual(stages(), ['Completed', 'InProgress'], 'the second stage still waits');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.outcome, 'succeeded', JSON.stringify(audits()[0]));
  });
});
