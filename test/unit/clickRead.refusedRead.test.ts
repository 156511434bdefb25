// A press reads its item before acting (clickRead.ts), as the presser. A read Graph refuses with 403
// does not stop the write: the read and the write are different calls with different rights. Reading
// a PIM request by its id needs a supported Entra role of the reader ("the signed-in user must be
// assigned a supported Microsoft Entra role",
// https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-get), while its requester
// cancels it as themselves
// (https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-cancel) and finds their
// own requests through filterByCurrentUser
// (https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser),
// so the write's answer is the authority then. A read answered 404 tells the presser the item is gone
// or hidden from them, and sends nothing.

import { strict as assert } from 'node:assert';
import { CardActionService } from '../../src/domain/cardAction';
import type { BindingPort, ClaimPort } from '../../src/domain/cardActionPorts';
import { NotFoundError, NotPermittedError } from '../../src/domain/errors';
import type { GraphPort } from '../../src/domain/governance';
import { FakeClock } from '../component/fakeClock';
import { ScriptedGraph, actor, roleTarget, service } from '../fixtures/scriptedGraph';

const bindings: BindingPort = {
  cardOf: async () => ({ items: [{ operation: roleTarget.operation, ids: roleTarget.ids }], settled: null }),
  settle: async () => undefined,
};

const claims: ClaimPort<number> = {
  leaseMs: 30_000,
  get: async () => null,
  take: async () => ({ won: true as const, fence: 1, tookOver: false }),
  renew: async () => true,
  complete: async () => true,
  release: async () => true,
};

function press(graph: GraphPort) {
  const { svc, lines } = service(graph);
  const actions = new CardActionService<number>({
    governance: svc,
    bindings,
    claims,
    liveness: { liveness: async () => 'alive' },
    clock: new FakeClock(),
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
    audit: { via: 'card.execute' },
  };
  return { outcome: actions.act(click), lines };
}

describe('card press: a read Graph refuses', () => {
  it('403 on the read: the write goes, and its answer is the outcome', async () => {
    const refused = new NotPermittedError('Forbidden.', { status: 403, requestId: 'read-1' });
    const graph = new ScriptedGraph([{ status: 204, requestId: 'write-1' }], [refused]);
    const { outcome, lines } = press(graph);
    assert.equal((await outcome).kind, 'settled');
    assert.deepEqual([graph.reads, graph.writes], [1, 1]);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.outcome, 'succeeded');
    assert.equal(lines[0]!.graphStatus, 204);
  });

  it('404 on the read: the presser is told, and nothing is sent', async () => {
    const gone = new NotFoundError('Not found.', { status: 404, requestId: 'read-1' });
    const graph = new ScriptedGraph([], [gone]);
    const { outcome, lines } = press(graph);
    assert.equal((await outcome).kind, 'notYours');
    assert.deepEqual([graph.reads, graph.writes], [1, 0]);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.graphStatus, 404);
  });
});
