// The approver's view of an approval (src/domain/catalog/approvalView.ts): which stage is theirs,
// where it stands, who decided, what waits after it, the stages approved before it (for the
// double-click guard), and the stage a button may name.
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { parseButtonData } from '../../src/bot/cardActions';
import { approvalViewOf } from '../../src/domain/catalog/approvalView';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f32a';
const STAGE = 'd4fa4045-4716-436d-aec5-57b0a713f095';

describe('approvals: the approver’s view of an approval', () => {
  const stage = (o: Record<string, unknown>) => ({
    id: STAGE,
    assignedToMe: true,
    status: 'InProgress',
    reviewResult: 'NotReviewed',
    reviewedBy: null,
    reviewedDateTime: null,
    ...o,
  });
  it('open for me, decided by someone else, expired, a later stage, or not mine', () => {
    assert.deepEqual(approvalViewOf({ stages: [stage({})] }, 'stages'), {
      state: 'InProgress',
      stageId: STAGE,
      decidedBy: null,
      decidedAt: null,
      laterStage: false,
      decidedBefore: [],
    });
    const lynne = { id: 'l', displayName: 'Lynne Robbins' };
    const decided = approvalViewOf(
      {
        steps: [
          stage({
            status: 'Completed',
            reviewResult: 'Approved',
            reviewedBy: [lynne],
            reviewedDateTime: '2026-03-02T09:05:00Z',
          }),
        ],
      },
      'steps',
    );
    assert.deepEqual(decided, {
      state: 'Approved',
      stageId: STAGE,
      decidedBy: [lynne],
      decidedAt: '2026-03-02T09:05:00Z',
      laterStage: false,
      decidedBefore: [],
    });
    assert.equal(approvalViewOf({ stages: [stage({ status: 'Expired' })] }, 'stages').state, 'Expired');
    const twoStages = { stages: [stage({ assignedToMe: false }), stage({ id: 'second', status: 'Initializing' })] };
    assert.equal(approvalViewOf(twoStages, 'stages').state, 'WaitingForAnEarlierStage');
    assert.equal(approvalViewOf({ stages: [stage({ assignedToMe: false })] }, 'stages').state, 'NotAssignedToYou');
    const deniedBefore = {
      stages: [
        stage({ assignedToMe: false, status: 'Completed', reviewResult: 'Denied' }),
        stage({ id: 's2', status: 'Initializing' }),
      ],
    };
    assert.equal(approvalViewOf(deniedBefore, 'stages').state, 'Denied');
  });

  it('knows when approving my stage leaves the request to a later stage', () => {
    const firstOfTwo = { stages: [stage({}), stage({ id: 's2', assignedToMe: false, status: 'Initializing' })] };
    assert.equal(approvalViewOf(firstOfTwo, 'stages').laterStage, true);
    const lastOfTwo = {
      stages: [stage({ id: 's1', status: 'Completed', reviewResult: 'Approved' }), stage({ id: 's2' })],
    };
    assert.equal(approvalViewOf(lastOfTwo, 'stages').state, 'InProgress');
    assert.equal(approvalViewOf(lastOfTwo, 'stages').laterStage, false);
  });

  it('lists who approved each stage before my open one (v1.0 identity, beta identity list), for the double-click guard', () => {
    const lynne = { id: 'lynne-id', displayName: 'Lynne Robbins' };
    const at = '2026-03-02T09:05:00Z';
    const approved = { status: 'Completed', reviewResult: 'Approved', reviewedDateTime: at };
    const v1 = { stages: [stage({ id: 's1', ...approved, reviewedBy: lynne }), stage({ id: 's2' })] };
    assert.deepEqual(approvalViewOf(v1, 'stages').decidedBefore, [
      { stageId: 's1', byId: 'lynne-id', byName: 'Lynne Robbins', at },
    ]);
    const beta = { steps: [stage({ id: 's1', ...approved, reviewedBy: [lynne] }), stage({ id: 's2' })] };
    assert.deepEqual(approvalViewOf(beta, 'steps').decidedBefore, [
      { stageId: 's1', byId: 'lynne-id', byName: 'Lynne Robbins', at },
    ]);
  });

  // An approval's stages come with each one's reviewedBy
  // (https://learn.microsoft.com/en-us/graph/api/approval-list-stages?view=graph-rest-1.0): with the
  // reader's later stage decided, who approved the earlier ones is still read, so a lost approval
  // of an earlier stage is not proven by a third approver's decision of it.
  it('lists who approved each stage before my decided one, and none of them as stages before an open one', () => {
    const adele = { id: 'adele-id', displayName: 'Adele Vance' };
    const at = '2026-03-02T09:01:00Z';
    const approved = { status: 'Completed', reviewResult: 'Approved', reviewedDateTime: at };
    const later = { ...approved, reviewedBy: { id: 'lynne-id', displayName: 'Lynne Robbins' } };
    const v1 = { stages: [stage({ id: 's1', ...approved, reviewedBy: adele }), stage({ id: 's2', ...later })] };
    const view = approvalViewOf(v1, 'stages');
    assert.equal(view.stageId, 's2');
    assert.deepEqual(view.approvedBefore, [{ stageId: 's1', byId: 'adele-id', byName: 'Adele Vance', at }]);
    assert.deepEqual(view.decidedBefore, [], 'no stage of mine is open: the double-click guard reads nothing');
    const beta = { steps: [stage({ id: 's1', ...approved, reviewedBy: [adele] }), stage({ id: 's2', ...later })] };
    assert.deepEqual(approvalViewOf(beta, 'steps').approvedBefore, view.approvedBefore);
  });

  it('a button names the stage its card showed decided only as a GUID, and only on an approval', () => {
    const data = {
      verb: 'governance.act',
      operation: 'decideAccessPackageApproval',
      ids: { requestId: ID },
      decision: 'approve',
    };
    const parsed = parseButtonData({ ...data, afterStage: STAGE.toUpperCase() });
    assert.ok(parsed.ok && parsed.target.afterStage === STAGE, JSON.stringify(parsed));
    assert.equal(parseButtonData({ ...data, afterStage: 'stage-1' }).ok, false);
    const cancel = { verb: 'governance.act', operation: 'cancelAccessPackageRequest', ids: { requestId: ID } };
    assert.equal(parseButtonData({ ...cancel, afterStage: STAGE }).ok, false);
  });

  it('a button cannot name the stage to decide: a stage id among its ids is dropped, so the write decides only the stage a read found', () => {
    // The gateway sends a stage id already in the target without reading (graphGateway.ts write):
    // button data is the client's to forge, so it must never carry one into the target.
    const forged = {
      verb: 'governance.act',
      operation: 'decideAccessPackageApproval',
      ids: { requestId: ID, stageId: STAGE },
      decision: 'approve',
    };
    const parsed = parseButtonData(forged);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.ok && parsed.target.ids, { requestId: ID });
  });

  it('reads an approval whose every stage was approved by others as approved, for a reader with no stage', () => {
    const megan = { id: 'm', displayName: 'Megan Bowen' };
    const done = {
      stages: [
        stage({ assignedToMe: false, status: 'Completed', reviewResult: 'Approved', reviewedBy: megan }),
        stage({ id: 's2', assignedToMe: false, status: 'Completed', reviewResult: 'Approved', reviewedBy: megan }),
      ],
    };
    const view = approvalViewOf(done, 'stages');
    assert.equal(view.state, 'Approved');
    assert.equal(view.stageId, 's2');
    assert.deepEqual(view.decidedBy, megan);
    // One stage still open: it is not the reader's to decide, and not decided either.
    const open = { stages: [done.stages[0]!, stage({ id: 's2', assignedToMe: false })] };
    assert.equal(approvalViewOf(open, 'stages').state, 'NotAssignedToYou');
  });

  // A stage Completed with reviewResult NotReviewed and no reviewer (Microsoft's own example in
  // https://learn.microsoft.com/en-us/graph/api/approval-filterbycurrentuser?view=graph-rest-beta;
  // what a cancelled request's approval shows) was decided by no one: never read as approved, and
  // nothing waits after it.
  it('reads a stage completed without a review as closed, not approved', () => {
    const closed = stage({ status: 'Completed', reviewResult: 'NotReviewed', reviewedBy: null });
    const view = approvalViewOf(
      { stages: [closed, stage({ id: 's2', assignedToMe: false, status: 'Initializing' })] },
      'stages',
    );
    assert.equal(view.state, 'Closed');
    assert.equal(view.decidedBy, null);
    assert.equal(view.laterStage, false);
    const everyStage = { stages: [stage({ assignedToMe: false, status: 'Completed', reviewResult: 'NotReviewed' })] };
    assert.equal(approvalViewOf(everyStage, 'stages').state, 'Closed');
  });

  // A later stage's denial or expiry settles the request (approvalstage-update: a stage's Deny ends
  // it; https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0):
  // a first-stage approver's click must show that, not their own stage's approval, for the card
  // shows it to everyone as the request's final word.
  it('reads a request denied or expired at its second stage as such for the approver of its first', () => {
    const megan = { id: 'm', displayName: 'Megan Bowen' };
    const lynne = { id: 'l', displayName: 'Lynne Robbins' };
    const mine = stage({ id: 's1', status: 'Completed', reviewResult: 'Approved', reviewedBy: megan });
    const denied = {
      stages: [
        mine,
        stage({ id: 's2', assignedToMe: false, status: 'Completed', reviewResult: 'Denied', reviewedBy: lynne }),
      ],
    };
    const view = approvalViewOf(denied, 'stages');
    assert.equal(view.state, 'Denied');
    assert.deepEqual(view.decidedBy, lynne);
    const expired = { stages: [mine, stage({ id: 's2', assignedToMe: false, status: 'Expired' })] };
    assert.equal(approvalViewOf(expired, 'stages').state, 'Expired');
  });
});
