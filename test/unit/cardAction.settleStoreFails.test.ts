// A press's write is sent under the item's claim, and the claim is then completed with the outcome
// (or released when Graph refused). If the state store fails just then, Graph has already answered:
// the press must show that answer, not throw it away for a bare error card. An approval Graph
// carried out told as "something went wrong" is a success reported as a failure (the person
// presses again or asks an administrator); the claim left behind lapses with its lease, and the
// next press reads Graph first (contract §4) and finds the item done, so nothing is written twice.

import { strict as assert } from 'node:assert';
import { CardActionService } from '../../src/domain/cardAction';
import type { BindingPort, ClaimPort } from '../../src/domain/cardActionPorts';
import { DomainError, GraphEvidence, NotPermittedError } from '../../src/domain/errors';
import { Claims, Fence } from '../../src/state/claims';
import { FakeClock } from '../component/fakeClock';
import { ClockedRecords } from '../fixtures/clockedRecords';
import { ScriptedGraph, actor, approve, readOf, service } from '../fixtures/scriptedGraph';

const bindings: BindingPort = { cardOf: async () => null, settle: async () => undefined };

async function press(write: GraphEvidence | DomainError, failing: 'complete' | 'release') {
  const clock = new FakeClock();
  const graph = new ScriptedGraph([write], [readOf('inProgress')]);
  const { svc } = service(graph);
  const store = new Claims(new ClockedRecords(() => clock.now()), { instance: 'boot-1', now: () => clock.now() });
  const down = async (): Promise<boolean> => {
    throw new Error('the state store could not be reached');
  };
  const claims: ClaimPort<Fence> = {
    leaseMs: store.leaseMs,
    get: (k) => store.get(k),
    take: (k, h, o) => store.take(k, h, o),
    renew: (k, f) => store.renew(k, f),
    complete: failing === 'complete' ? down : (k, f, o) => store.complete(k, f, o),
    release: failing === 'release' ? down : (k, f) => store.release(k, f),
    takes: (f) => store.takes(f),
  };
  const logged: unknown[] = [];
  const actions = new CardActionService<Fence>({
    governance: svc,
    bindings,
    claims,
    liveness: { liveness: async () => 'alive' },
    clock,
    onBackgroundError: (e) => logged.push(e),
    renewEveryMs: 0,
  });
  const click = { target: approve, conversationId: 'c', cardActivityId: 'card-1', actor, userName: 'Megan', audit: {} };
  const outcome = (await clock.drive(actions.act(click))).value;
  return { outcome, graph, logged };
}

describe("a store failure while a press's claim is settled", () => {
  it('after a write Graph carried out, the press shows it done (the failure logged)', async () => {
    const { outcome, graph, logged } = await press({ status: 204, requestId: 'w-1' }, 'complete');
    assert.equal(graph.writes, 1);
    assert.equal(outcome.kind, 'settled', JSON.stringify(outcome));
    assert.ok(outcome.kind === 'settled' && outcome.style === 'good');
    assert.equal(logged.length, 1, 'the failed completion is logged');
  });

  it("after a write Graph refused, the press shows Graph's refusal (the failure logged)", async () => {
    const { outcome, graph, logged } = await press(
      new NotPermittedError('You may not resume this task.', { status: 403, requestId: 'w-1' }),
      'release',
    );
    assert.equal(graph.writes, 1);
    assert.equal(outcome.kind, 'failed', JSON.stringify(outcome));
    assert.equal(logged.length, 1, 'the failed release is logged');
  });
});
