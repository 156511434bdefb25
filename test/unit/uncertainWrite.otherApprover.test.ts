// After an approver's decision whose answer was lost (a 5xx or no answer: its outcome is unknown,
// https://learn.microsoft.com/en-us/graph/errors#http-status-codes), the read of the approval shows
// the stage decided. Graph names who decided it (approvalStage reviewedBy: "The identifier of the
// reviewer",
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0), and a
// stage is decided once: "already been approved by another approver in the same approval stage"
// (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0). A stage
// decided by another approver proves nothing of this approver's write, which Graph then refused or
// never took: it is told as someone else's decision, never "confirmed it took effect".

import { strict as assert } from 'node:assert';
import { DecidedElsewhereError, NO_GRAPH, UpstreamError } from '../../src/domain/errors';
import type { GraphPort, StateRead } from '../../src/domain/governancePorts';
import type { Target } from '../../src/domain/operations';
import { recoverAfterUncertainWrite } from '../../src/domain/uncertainWrite';
import { describeOutcome } from '../../src/cards/outcomeWording';

const ME = '0b6a6b2a-9b3e-4a2e-8f3e-2f1c8a9d7e61';
const LYNNE = '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
const STAGE = '7f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

const asked = (decision: 'approve' | 'deny'): Target => ({
  operation: 'decideAccessPackageApproval',
  decision,
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', stageId: STAGE },
});

/** The approval read as the catalog's view gives it: the reader's stage decided by `by`. */
const decided = (state: 'Approved' | 'Denied', by: { id: string; displayName: string } | null): StateRead => ({
  state,
  item: {
    state,
    stageId: STAGE,
    decidedBy: by,
    decidedAt: '2026-07-01T09:05:00Z',
    laterStage: false,
    decidedBefore: [],
  },
  graph: { status: 200, requestId: 'read-1' },
});

async function recover(target: Target, read: StateRead) {
  let writes = 0;
  const graph = {
    readState: async () => read,
    write: async () => {
      writes++;
      return NO_GRAPH;
    },
  } as unknown as GraphPort;
  const now = Date.now();
  const first = new UpstreamError('Microsoft Graph did not answer in time.', { status: null, requestId: null });
  try {
    const r = await recoverAfterUncertainWrite(
      { graph, now: () => now, left: () => undefined, sleep: async () => undefined },
      first,
      target,
      { aadObjectId: ME, getToken: async () => 'token' },
      now,
    );
    return { r, writes, error: null };
  } catch (e) {
    return { r: null, writes, error: e };
  }
}

describe('a lost decision, and the stage found decided', () => {
  for (const [decision, state] of [
    ['approve', 'Approved'],
    ['deny', 'Denied'],
  ] as const) {
    it(`${state} by another approver: their decision, not "${decision}" confirmed`, async () => {
      const { r, writes, error } = await recover(
        asked(decision),
        decided(state, { id: LYNNE, displayName: 'Lynne Robbins' }),
      );
      assert.equal(r, null, 'never reported as this approver’s decision');
      assert.ok(error instanceof DecidedElsewhereError, String(error));
      assert.equal(error.decidedBy, 'Lynne Robbins');
      assert.equal(error.byAsker, false);
      assert.equal(writes, 0, 'nothing is sent over a decided stage');
      const words = JSON.stringify(
        describeOutcome({ ok: false, target: asked(decision), error, correlationId: 'c' }, { at: new Date(0) }).data,
      );
      assert.match(words, /Someone else decided first/, words);
      assert.match(words, new RegExp(`already ${state} by Lynne Robbins`), words);
      assert.doesNotMatch(words, /not as/, 'the same decision is not said to differ from the one asked');
    });

    it(`${state} by this approver, or by someone Graph does not name: confirmed`, async () => {
      for (const by of [{ id: ME.toUpperCase(), displayName: 'Megan Bowen' }, null]) {
        const { r, error } = await recover(asked(decision), decided(state, by));
        assert.equal(error, null, String(error));
        assert.equal(r?.confirmedByRead, true);
      }
    });
  }

  // An approver of two stages in a row: their approval of the first is lost, and by the read the
  // second was approved by its other approver. The reader's view shows that later stage (its
  // decider is not the first stage's), and a later stage starts only once the earlier one is
  // approved: the state is the proof, as for a decider not named, never "already Approved by
  // Lynne", who did not decide the stage this approver's write was for.
  it('Approved, the reader’s later stage by another approver: not said as theirs', async () => {
    const read = decided('Approved', { id: LYNNE, displayName: 'Lynne Robbins' });
    const later = { ...read, item: { ...read.item, stageId: '8a2d3b4c-5e6f-4a71-9b8c-0d1e2f3a4b5c' } };
    const { r, error } = await recover(asked('approve'), later);
    assert.equal(error, null, String(error));
    assert.equal(r?.confirmedByRead, true);
  });
});

// The same approver of two stages in a row, but a third approver of the first stage approved it
// before this approver's write came: the read shows the reader's later stage decided, and every
// earlier stage with its reviewedBy (an approval's `stages`, each "The identifier of the reviewer",
// https://learn.microsoft.com/en-us/graph/api/approval-list-stages?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0). The
// stage written was decided by that third approver: this approver's write was not applied.
describe('a lost approval, the reader’s later stage decided, the stage written approved by a third', () => {
  const ADELE = '1a2b3c4d-5e6f-4a70-8b91-a2b3c4d5e6f7';
  const LATER = '8a2d3b4c-5e6f-4a71-9b8c-0d1e2f3a4b5c';
  const read = (firstBy: string | null, laterBy: string): StateRead => {
    const base = decided('Approved', { id: laterBy, displayName: 'Lynne Robbins' });
    const first = { stageId: STAGE, byId: firstBy, byName: firstBy ? 'Adele Vance' : null, at: '2026-07-01T09:01:00Z' };
    return { ...base, item: { ...base.item, stageId: LATER, approvedBefore: [first] } };
  };

  for (const laterBy of [LYNNE, ME]) {
    it(`later stage approved by ${laterBy === ME ? 'this approver' : 'its other approver'}: told as Adele's`, async () => {
      const { r, error, writes } = await recover(asked('approve'), read(ADELE, laterBy));
      assert.equal(r, null, 'never reported as this approver’s approval');
      assert.ok(error instanceof DecidedElsewhereError, String(error));
      assert.equal(error.decidedBy, 'Adele Vance', 'the decider of the stage written, not of the later one');
      assert.equal(error.byAsker, false);
      assert.equal(writes, 0);
    });
  }

  it('the stage written approved by this approver, or by someone Graph does not name: confirmed', async () => {
    for (const by of [ME.toUpperCase(), null]) {
      const { r, error } = await recover(asked('approve'), read(by, LYNNE));
      assert.equal(error, null, String(error));
      assert.equal(r?.confirmedByRead, true);
    }
  });
});
