// A click looks at the item's claim, then takes it. Another click may take it in between, send its
// write, lose the answer (a 5xx or a timeout says nothing of whether Graph acted) and let it go:
// the claim is then free again and this click wins it, though its read from before may no longer
// tell whether the item is open. It must read Graph again before writing (contract §4: no write is
// sent again after a 5xx or a timeout without first learning, by a read, that it did not take
// effect; https://learn.microsoft.com/graph/errors#http-status-codes). The claims here are the real
// store (state/claims.ts): the other click's taking counts the fence up.

import { strict as assert } from 'node:assert';
import { CardActionService } from '../../src/domain/cardAction';
import type { BindingPort, ClaimPort } from '../../src/domain/cardActionPorts';
import { claimKey } from '../../src/domain/clickOutcomes';
import { Claims, Fence } from '../../src/state/claims';
import { FakeClock } from '../component/fakeClock';
import { ClockedRecords } from '../fixtures/clockedRecords';
import { ScriptedGraph, actor, approve, readOf, service } from '../fixtures/scriptedGraph';

const bindings: BindingPort = { cardOf: async () => null, settle: async () => undefined };
const KEY = claimKey(approve);

/** The real claims, where another click takes the claim and lets it go just before this click's
 * take (after its look), once; the earlier claim's history is `before`. */
function claimsWithOther(clock: FakeClock, before: (c: Claims) => Promise<void>) {
  const store = new Claims(new ClockedRecords(() => clock.now()), { instance: 'boot-1', now: () => clock.now() });
  let other = 0;
  const claims: ClaimPort<Fence> = {
    leaseMs: store.leaseMs,
    get: (key) => store.get(key),
    take: async (key, holder, orphaned) => {
      if (other++ === 0) {
        const theirs = await store.take(key, { userId: 'adele' });
        assert.ok(theirs.won);
        // Its write was answered 500: it lets the claim go.
        assert.ok(await store.release(key, theirs.fence));
      }
      return store.take(key, holder, orphaned);
    },
    renew: (key, fence) => store.renew(key, fence),
    complete: (key, fence, outcome) => store.complete(key, fence, outcome),
    release: (key, fence) => store.release(key, fence),
    takes: (fence) => store.takes(fence),
  };
  return { claims, ready: before(store) };
}

async function press(history: (c: Claims) => Promise<void>) {
  const clock = new FakeClock();
  // The click's read finds the task waiting; the read after the other click's write finds it resumed.
  const graph = new ScriptedGraph([{ status: 204, requestId: 'w-1' }], [readOf('inProgress'), readOf('completed')]);
  const { svc } = service(graph);
  const { claims, ready } = claimsWithOther(clock, history);
  await ready;
  await clock.advance(3_600_000);
  const actions = new CardActionService<Fence>({
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
  const click = { target: approve, conversationId: 'c', cardActivityId: 'card-1', actor, userName: 'Megan', audit: {} };
  const outcome = (await clock.drive(actions.act(click))).value;
  return { outcome, graph };
}

describe('a claim taken and let go by another click between this click’s look and its take', () => {
  it('absent when looked at: Graph is read again, and the task the other click resumed is not resumed twice', async () => {
    const { outcome, graph } = await press(async () => undefined);
    assert.equal(graph.reads, 2, 'Graph was read again after the claim was won');
    assert.equal(graph.writes, 0, 'nothing was sent on the read from before the other write');
    assert.equal(outcome.kind, 'settled', `the task is shown resumed: ${JSON.stringify(outcome)}`);
  });

  it('let go long before the look: the same', async () => {
    const { outcome, graph } = await press(async (c) => {
      const old = await c.take(KEY, { userId: 'lynne' });
      assert.ok(old.won);
      assert.ok(await c.release(KEY, old.fence));
    });
    assert.equal(graph.reads, 2);
    assert.equal(graph.writes, 0);
    assert.equal(outcome.kind, 'settled', `the task is shown resumed: ${JSON.stringify(outcome)}`);
  });

  it('a claim nobody took in between is written at once, on the one read', async () => {
    const graph = new ScriptedGraph([{ status: 204, requestId: 'w-1' }], [readOf('inProgress')]);
    const { svc } = service(graph);
    const clock = new FakeClock();
    const store = new Claims(new ClockedRecords(() => clock.now()), { instance: 'boot-1', now: () => clock.now() });
    const actions = new CardActionService<Fence>({
      governance: svc,
      bindings,
      claims: store,
      liveness: { liveness: async () => 'alive' },
      clock,
      onBackgroundError: (e) => {
        throw e;
      },
      renewEveryMs: 0,
    });
    const click = {
      target: approve,
      conversationId: 'c',
      cardActivityId: 'card-1',
      actor,
      userName: 'Megan',
      audit: {},
    };
    await clock.drive(actions.act(click));
    assert.equal(graph.reads, 1);
    assert.equal(graph.writes, 1);
  });
});
