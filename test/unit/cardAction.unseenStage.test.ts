// A press on an approval card as it was before its clicker decided an earlier stage (the second
// click of a double-click, a row read before that decision) decides nothing: it shows that earlier
// decision with the next stage's buttons (laterStage.ts unseenOwnStage). Graph starts the next
// stage when the one before is approved, and the approver reads every stage
// (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).

import { strict as assert } from 'node:assert';
import { CardActionService } from '../../src/domain/cardAction';
import type { BindingPort, ClaimPort, ClaimView } from '../../src/domain/cardActionPorts';
import { claimKey } from '../../src/domain/clickOutcomes';
import type { StateRead } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { FakeClock } from '../component/fakeClock';
import { ScriptedGraph, USER, actor, service } from '../fixtures/scriptedGraph';

const REQUEST = '7999249e-249e-7999-9e24-99799e249979';
const FIRST = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const SECOND = '5b4a3f2e-1d0c-4b9a-8f7e-6d5c4b3a2f1e';
const target: Target = { operation: 'decideAccessPackageApproval', ids: { requestId: REQUEST }, decision: 'approve' };

/** Graph's read for the clicker: the second stage waits on them, the first decided by them at `at`. */
const secondOpen = (at: number): StateRead => ({
  state: 'InProgress',
  item: {
    stageId: SECOND,
    decidedBefore: [{ stageId: FIRST, byId: USER, byName: 'Megan', at: new Date(at).toISOString() }],
  },
  graph: { status: 200, requestId: 'read-1' },
});

/** Claims whose record is `records[key]`; never taken here (a take would mean a write). */
function claimsOf(records: Record<string, ClaimView>): ClaimPort<number> & { taken: number } {
  const c = {
    leaseMs: 30_000,
    taken: 0,
    get: async (key: string) => records[key] ?? null,
    take: async () => {
      c.taken++;
      return { won: true as const, fence: 1, tookOver: false };
    },
    renew: async () => true,
    complete: async () => true,
    release: async () => true,
  };
  return c;
}

function rig(claims: ClaimPort<number>, bindings: BindingPort, read: StateRead, clock: FakeClock) {
  const graph = new ScriptedGraph([], [read]);
  const { svc } = service(graph);
  const actions = new CardActionService<number>({
    governance: svc,
    bindings,
    claims,
    liveness: { liveness: async () => 'alive' },
    clock,
    onBackgroundError: (e) => {
      throw e;
    },
    renewEveryMs: 0,
  });
  return { actions, graph };
}

const click = { target, conversationId: 'c', cardActivityId: 'card-1', actor, userName: 'Megan', audit: {} };

describe('a press on an approval card that did not show its clicker’s earlier stage decided', () => {
  it('keeps the next stage’s buttons even when that decision’s claim was recorded as the card’s final word', async () => {
    // The read after the first stage's decision did not yet list the second stage (Graph starts it
    // only after the approval), so the claim holds that decision as final; the press now finds the
    // second stage waiting on the clicker. Its answer must not take the card's buttons away.
    const clock = new FakeClock();
    const decided: ClaimView = {
      state: 'done',
      holder: { userId: USER, userName: 'Megan' },
      instance: 'i-1',
      leaseUntil: clock.now(),
      outcome: {
        outcome: 'succeeded',
        summary: 'Approved by Megan at 09:05 UTC.',
        at: new Date(clock.now()).toISOString(),
        byName: 'Megan',
      },
    };
    const claims = claimsOf({ [claimKey(target, { stageId: FIRST })]: decided });
    const bindings: BindingPort = { cardOf: async () => ({ items: [], settled: null }), settle: async () => undefined };
    const { actions, graph } = rig(claims, bindings, secondOpen(clock.now() - 1_000), clock);
    const outcome = (await clock.drive(actions.act(click))).value;
    assert.equal(graph.writes, 0, 'the second stage was not decided');
    assert.equal(claims.taken, 0);
    assert.equal(outcome.kind, 'progressed', `the card keeps its buttons: ${JSON.stringify(outcome)}`);
    if (outcome.kind === 'progressed') assert.equal(outcome.stageId, FIRST, 'the buttons name the stage decided');
  });

  it('a row read before that decision decides nothing, whatever the card’s binding says it was formed at', async () => {
    // The click names when its row was read (cardReadAt, listRowChecks.ts): before the decision.
    // That moment is what the row showed; the binding's moment is not asked for and never overrides it.
    const clock = new FakeClock();
    const decidedAt = clock.now() - 60_000;
    const bindings: BindingPort = {
      cardOf: async () => ({ items: [], settled: null, formedAt: clock.now() }),
      settle: async () => undefined,
    };
    const claims = claimsOf({});
    const { actions, graph } = rig(claims, bindings, secondOpen(decidedAt), clock);
    const stale = { ...click, cardReadAt: decidedAt - 60_000 };
    const outcome = (await clock.drive(actions.act(stale))).value;
    assert.equal(graph.writes, 0, 'the second stage was not decided');
    assert.equal(claims.taken, 0);
    assert.equal(outcome.kind, 'progressed', JSON.stringify(outcome));
    if (outcome.kind === 'progressed') assert.equal(outcome.stageId, FIRST);
  });
});
