// A typed decision on an approval whose stage ended without a decision (it expired, or it closed
// unreviewed) between the bot's read and its PATCH: nobody decided it, so the answer never says
// someone else decided first nor that Graph does not say who. Graph's state name stays as Graph
// spells it ("Expired"). approvalStage status Expired, reviewedBy the all-zero id "if the assigned
// reviewer hasn't reviewed"
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).
// The press path says the same (clickOutcomes.ts, unit/approvalView.notReviewed).

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { DecidedElsewhereError } from '../../src/domain/errors';
import { CATALOG } from '../../src/domain/operations';
import { rigMadeInTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);
const ZERO = '00000000-0000-0000-0000-000000000000';

describe('approvals: a typed decision on a stage that ended without a decision', () => {
  const rigIn = rigMadeInTest();

  for (const how of ['refused', 'unanswered'] as const)
    it(`the stage expires before the PATCH (${how}): the answer says it expired, not that someone decided`, async () => {
      const rig = rigIn({ silent: true });
      const megan = rig.user(0);
      const id = rig.seed.examples.accessApprovalId;
      rig.hold = (req) => {
        if (req.method !== 'PATCH') return null;
        rig.hold = null;
        const stage = rig.tenant.getApproval(id)!.stages[0]!;
        stage.status = 'Expired';
        stage.reviewResult = 'NotReviewed';
        stage.reviewedBy = { id: ZERO, displayName: null } as never;
        // Unanswered: the PATCH gets a 503, and the read after it finds the stage expired.
        if (how === 'refused') return null;
        const body = JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'Try later.' } });
        return Promise.resolve(new Response(body, { status: 503, headers: { 'content-type': 'application/json' } }));
      };
      const { sent } = await rig.message(megan, `approve access-request ${id}`);
      const said = text(sent);
      assert.doesNotMatch(said, /someone else|decided first|does not say who|already decided|decided by/i, said);
      assert.doesNotMatch(said, /0{8}-0{4}/, said);
      assert.match(said, /Expired/, said);
      if (how === 'refused') {
        // The read before the answer names the state as it is (refusedWrite.ts, unit/approvals.expiredTyped).
        assert.match(said, /is Expired, so it cannot be changed this way/, said);
      } else {
        // The re-read after no answer (undecidedWording.ts).
        assert.match(said, /expired without a decision/i, said);
        assert.match(said, /was not applied/, said);
      }
      const line = rig.logs.filter((l) => l.event === 'governance.action').at(-1);
      // Refused: an INVALID_STATE line like any state refusal; unanswered: DECIDED_ELSEWHERE naming what was found.
      if (how === 'refused') assert.equal(line?.errorCode, 'INVALID_STATE');
      else assert.equal(line?.foundState, 'Expired');
    });

  // A stage Completed unreviewed (the request was cancelled, say: approvalView.ts "Closed").
  for (const learnt of ['afterRefusal', 'afterNoAnswer'] as const)
    it(`a stage that closed unreviewed (${learnt}): it ended without a decision`, () => {
      const spec = CATALOG.decideRoleApproval;
      const e = new DecidedElsewhereError('x', 'Closed', 'deny', null, null, undefined, learnt);
      const said = JSON.stringify(explain(e, spec));
      assert.doesNotMatch(said, /someone else|decided first|does not say who|already decided|decided by/i, said);
      assert.match(said, /ended without a decision/, said);
      assert.match(said, /is Closed/, said);
    });
  // Someone did decide: the words still say so.
  it('a stage another approver denied: someone else decided first', () => {
    const e = new DecidedElsewhereError('x', 'Denied', 'approve', 'Lynne Robbins', null, undefined, 'afterRefusal');
    assert.match(
      JSON.stringify(explain(e, CATALOG.decideGroupApproval)),
      /Someone else decided first.*by Lynne Robbins/,
    );
  });
});
