// A click that never got the item's claim (another click held it, then let it go, twice) writes
// nothing. Its answer says so: nothing was changed and to press again, never to check the item
// "before trying again, so it is not changed twice" (the words of a write whose answer was lost);
// and the attempt writes its one audit line, `failed` with `UPSTREAM`, as every attempt does,
// with Graph's last answer (the click's read) as its `graphStatus` (contract §6).

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { CardActionService } from '../../src/domain/cardAction';
import type { BindingPort, ClaimPort, ClaimView } from '../../src/domain/cardActionPorts';
import { CATALOG } from '../../src/domain/operations';
import { FakeClock } from '../component/fakeClock';
import { ScriptedGraph, actor, roleTarget, service } from '../fixtures/scriptedGraph';

/** Claims another click holds whenever this one tries, and that are free whenever it looks. */
const heldElsewhere: ClaimPort<number> = {
  leaseMs: 30_000,
  get: async () => null,
  take: async () => ({
    won: false,
    record: { state: 'inProgress', holder: { userId: 'other' }, instance: 'i-2', leaseUntil: Date.now() + 30_000 },
  }),
  renew: async () => false,
  complete: async () => false,
  release: async () => false,
};

const bindings: BindingPort = { cardOf: async () => null, settle: async () => undefined };

describe('a click kept from the claim', () => {
  it('writes nothing, says nothing was changed and to press again, and is audited', async () => {
    const graph = new ScriptedGraph([], [{ state: 'PendingApproval', graph: { status: 200, requestId: 'r1' } }]);
    const { svc, lines } = service(graph);
    const clock = new FakeClock();
    const actions = new CardActionService<number>({
      governance: svc,
      bindings,
      claims: heldElsewhere,
      liveness: { liveness: async () => 'alive' },
      clock,
      onBackgroundError: (e) => {
        throw e;
      },
      renewEveryMs: 0,
    });
    const outcome = await actions.act({
      target: roleTarget,
      conversationId: 'c',
      cardActivityId: 'card-1',
      actor,
      userName: 'Megan',
      audit: { via: 'card' },
    });
    assert.equal(graph.writes, 0, 'nothing was written');
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind !== 'failed') return;
    const w = explain(outcome.error, CATALOG[roleTarget.operation], roleTarget, 'button');
    const said = `${w.title}. ${w.what} ${w.next}`;
    assert.match(said, /Nothing was changed\. Press the button again/, said);
    assert.doesNotMatch(said, /before trying again|not changed twice|may or may not/, said);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.outcome, 'failed');
    assert.equal(lines[0]?.errorCode, 'UPSTREAM');
    assert.equal(lines[0]?.graphStatus, 200, "Graph's last answer was the click's read");
  });

  it('a click that meets another click acting: answered busy, audited with the read’s status', async () => {
    const graph = new ScriptedGraph([], [{ state: 'PendingApproval', graph: { status: 200, requestId: 'r1' } }]);
    const { svc, lines } = service(graph);
    const clock = new FakeClock();
    const acting: ClaimView = {
      state: 'inProgress',
      holder: { userId: 'other', userName: 'Adele' },
      instance: 'i-2',
      leaseUntil: clock.now() + 30_000,
    };
    const actions = new CardActionService<number>({
      governance: svc,
      bindings,
      claims: { ...heldElsewhere, get: async () => acting, take: async () => ({ won: false, record: acting }) },
      liveness: { liveness: async () => 'alive' },
      clock,
      onBackgroundError: (e) => {
        throw e;
      },
      renewEveryMs: 0,
    });
    const click = {
      target: roleTarget,
      conversationId: 'c',
      cardActivityId: 'card-1',
      actor,
      userName: 'Megan',
      audit: {},
    };
    const outcome = (await clock.drive(actions.act(click))).value;
    assert.equal(outcome.kind, 'busy');
    assert.equal(graph.writes, 0);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.errorCode, 'INVALID_STATE');
    assert.equal(lines[0]?.graphStatus, 200, "Graph's last answer was the click's read");
  });
});
