// An approver named at stage 1 and again at stage 3 of a multi-stage access package approval
// approves stage 1, then acts on the request again while stage 2 waits. The request is not
// finished for them: "Only one of the selected approvers from each stage needs to approve a
// request for multi-stage approval for the request to progress to the next stage"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy),
// so stage 3 starts once stage 2 is approved, and it is assigned to them too. The approval read
// lists every stage with `assignedToMe` and its `status` (Initializing: not started)
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0). The
// answer says that a later stage may ask them again (only "may": any other approver of that stage
// may decide it first), and never that nothing more is needed from them.

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { approvalViewOf } from '../../src/domain/catalog/approvalView';
import { graphStateOutcome } from '../../src/domain/clickOutcomes';
import { DecidedElsewhereError } from '../../src/domain/errors';
import { GovernanceService } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { delegatedToken } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const REQUEST_ID = '7999249e-249e-7999-9e24-99799e2499a7';

/** The demo seed with one more request: stage 1 Megan Bowen, stage 2 Lynne Robbins, stage 3 Megan Bowen. */
function seedWithThreeStages(): DemoSeed {
  const seed = loadDemoSeed();
  const template = seed.accessRequests.find((r) => r.state === 'pendingApproval');
  assert.ok(template);
  const three = {
    ...template,
    id: REQUEST_ID,
    requestor: 'Patti Fernandez',
    approvalStages: [['Megan Bowen'], ['Lynne Robbins'], ['Megan Bowen']],
  };
  return { ...seed, accessRequests: [...seed.accessRequests, three] };
}

describe('an approver of a later stage too, after their stage is approved', () => {
  const seed = seedWithThreeStages();
  const tenant = new SimulatedTenant(seed);
  const megan = seed.users[0]!;
  assert.equal(megan.displayName, 'Megan Bowen');
  const token = delegatedToken(tenant, seed, 0, BASE);
  const svc = new GovernanceService({
    cloud: 'global',
    graph: new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE), sleep: async () => undefined }),
    audit: () => undefined,
    newId: () => 'c',
  });
  const actor = { aadObjectId: megan.id, getToken: async () => token };
  const target: Target = {
    operation: 'decideAccessPackageApproval',
    ids: { requestId: REQUEST_ID },
    decision: 'approve',
  };
  const spec = CATALOG[target.operation];

  it('is told a later stage may ask them again, not that nothing more is needed from them', async () => {
    const first = await svc.perform(target, actor);
    assert.ok(first.ok, 'stage 1 approved');

    // The read now: stage 1 approved by Megan, stage 2 open (Lynne's), stage 3 not started (Megan's).
    const read = await svc.currentState(target, actor);
    assert.ok(!(read instanceof Error));
    assert.equal(read.state, 'Approved');
    assert.equal(read.item?.laterStage, true);
    assert.equal(read.item?.askedAgainLater, true, 'the read names her at a later stage not started');

    // A click on the card: Graph's state answers it.
    const shown = graphStateOutcome(target, read.state ?? '', read.item);
    assert.ok(shown.kind === 'settled');
    assert.match(shown.text, /may ask you again/);
    assert.doesNotMatch(shown.text, /nothing more/i);

    // The same decision again (a command, or a click whose read lagged): Graph is not written.
    const again = await svc.perform(target, actor);
    assert.ok(!again.ok);
    assert.ok(again.error instanceof DecidedElsewhereError);
    assert.equal(again.error.byAsker, true);
    const told = explain(again.error, spec, target, 'button');
    assert.equal(told.title, 'You already decided this');
    assert.match(told.next, /A later stage of this request is assigned to you too, so it may ask you again/);
    assert.doesNotMatch(`${told.what} ${told.next}`, /nothing more/i);
  });

  it('someone else deciding the stage first is not "nothing more can be done" either', () => {
    const error = new DecidedElsewhereError(
      'x',
      'Approved',
      'deny',
      'Lynne Robbins',
      null,
      undefined,
      'afterRefusal',
      false,
      true,
    );
    const told = explain(error, spec, target, 'button');
    assert.equal(told.title, 'Someone else decided first');
    assert.match(told.next, /may ask you again/);
    assert.doesNotMatch(told.next, /Nothing more/);
  });

  it('without a later stage of theirs, the words stay as they were', () => {
    const view = approvalViewOf(
      {
        stages: [
          { id: 's1', status: 'Completed', reviewResult: 'Approved', assignedToMe: true },
          { id: 's2', status: 'InProgress', reviewResult: 'NotReviewed', assignedToMe: false },
          { id: 's3', status: 'Initializing', reviewResult: 'NotReviewed', assignedToMe: false },
        ],
      },
      'stages',
    );
    assert.equal(view.askedAgainLater, undefined);
    const error = new DecidedElsewhereError(
      'x',
      'Approved',
      'approve',
      'Megan Bowen',
      null,
      undefined,
      'afterRefusal',
      true,
    );
    assert.match(explain(error, spec, target, 'button').next, /Nothing more is needed from you/);
    // A stage of theirs that already started is no later stage "not started".
    const denied = approvalViewOf(
      {
        stages: [
          { id: 's1', status: 'Completed', reviewResult: 'Approved', assignedToMe: true },
          { id: 's2', status: 'Completed', reviewResult: 'Denied', assignedToMe: false },
          { id: 's3', status: 'Completed', reviewResult: 'NotReviewed', assignedToMe: true },
        ],
      },
      'stages',
    );
    assert.equal(denied.askedAgainLater, undefined, 'a denied request asks no one again');
  });
});
