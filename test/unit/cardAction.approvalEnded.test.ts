// A decision button of an access package approval card carries the moment its event said the stage
// ends (approvalExpiresDateTime). A stage still pending then is denied automatically ("The number of
// days that a request can be pending a response before it is automatically denied",
// https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage), so a press on an old
// card at or after that moment sends no decision to Graph: it is answered at once, needing no read
// nor token, with the ended card for the clicker, and audited. A moment that comes while the press
// reads Graph stops the write too. Before the moment the press acts as before.

import { strict as assert } from 'node:assert';
import { eventCard } from '../../src/bot/replyCards';
import { parseButtonData } from '../../src/bot/cardActions';
import { CardActionService } from '../../src/domain/cardAction';
import type { BindingPort, ClaimPort } from '../../src/domain/cardActionPorts';
import type { GraphPort, StateRead } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { FakeClock } from '../component/fakeClock';
import { buttonsOf } from '../fixtures/cardButtons';
import { ScriptedGraph, actor, service } from '../fixtures/scriptedGraph';

const REQUEST = '7999249e-249e-7999-9e24-99799e249979';
const STAGE = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

const bindings: BindingPort = {
  cardOf: async () => ({
    items: [{ operation: 'decideAccessPackageApproval', ids: { requestId: REQUEST } }],
    settled: null,
  }),
  settle: async () => undefined,
};

/** Free claims, always won. */
function freeClaims(): ClaimPort<number> & { taken: number; released: number } {
  const c = {
    leaseMs: 30_000,
    taken: 0,
    released: 0,
    get: async () => null,
    take: async () => {
      c.taken++;
      return { won: true as const, fence: 1, tookOver: false };
    },
    renew: async () => true,
    complete: async () => true,
    release: async () => {
      c.released++;
      return true;
    },
  };
  return c;
}

function rig(graph: GraphPort, clock: FakeClock) {
  const { svc, lines } = service(graph);
  const claims = freeClaims();
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
  return { actions, lines, claims };
}

const click = (target: Target) => ({
  target,
  conversationId: 'c',
  cardActivityId: 'card-1',
  actor,
  userName: 'Megan',
  audit: { via: 'card.execute' },
});

/** The Approve button's data of the card sent for an approval ending at `endsAt`, sent at `now`. */
function approveButton(endsAt: number, now: number): unknown {
  const card = eventCard(
    {
      item: { operation: 'decideAccessPackageApproval', ids: { requestId: REQUEST } },
      title: 'Access package approval',
      requestAction: undefined,
      text: 'Adele Vance requested Marketing campaign tools',
      facts: [],
      approvalExpiresAt: endsAt,
    },
    now,
  );
  const actions = buttonsOf<{ title: string; data?: unknown; verb?: string }>(card.attachment.content);
  const approve = actions.find((a) => a.title === 'Approve');
  assert.ok(approve, JSON.stringify(actions));
  return approve.data;
}

describe('a press on an access package approval card after its moment', () => {
  it('is answered as ended, with no Graph call, no claim, and an audit line', async () => {
    const clock = new FakeClock();
    const endsAt = clock.now() + 60_000;
    const parsed = parseButtonData(approveButton(endsAt, clock.now()));
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.equal(parsed.target.endsAt, endsAt, 'the button carries the moment');
    await clock.advance(60_000);
    const graph = new ScriptedGraph([], []);
    const { actions, lines, claims } = rig(graph, clock);
    const refused = await actions.refusal(click(parsed.target));
    assert.deepEqual(refused, { kind: 'ended', endsAt });
    assert.equal(graph.reads + graph.writes, 0, 'nothing read or sent');
    assert.equal(claims.taken, 0);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.outcome, 'failed');
  });

  it('sends no decision when the moment comes while the press reads Graph', async () => {
    const clock = new FakeClock();
    const endsAt = clock.now() + 1_000;
    const target: Target = {
      operation: 'decideAccessPackageApproval',
      ids: { requestId: REQUEST },
      decision: 'approve',
      endsAt,
    };
    let writes = 0;
    const graph: GraphPort = {
      readState: async (): Promise<StateRead> => {
        await clock.advance(2_000); // a slow read: the moment passes meanwhile
        return { state: 'InProgress', item: { stageId: STAGE }, graph: { status: 200, requestId: 'read-1' } };
      },
      write: async () => {
        writes++;
        return { status: 204, requestId: 'w' };
      },
    } as unknown as GraphPort;
    const { actions } = rig(graph, clock);
    assert.equal(await actions.refusal(click(target)), null, 'in time when pressed');
    const outcome = await actions.act(click(target));
    assert.deepEqual(outcome, { kind: 'ended', endsAt });
    assert.equal(writes, 0, 'no decision sent after the moment');
  });

  it('acts as before while the moment is ahead', async () => {
    const clock = new FakeClock();
    const target: Target = {
      operation: 'decideAccessPackageApproval',
      ids: { requestId: REQUEST },
      decision: 'approve',
      endsAt: clock.now() + 3_600_000,
    };
    const graph = new ScriptedGraph(
      [{ status: 204, requestId: 'w' }],
      [
        { state: 'InProgress', item: { stageId: STAGE }, graph: { status: 200, requestId: 'read-1' } },
        {
          state: 'Completed',
          item: { stageId: STAGE, reviewResult: 'Approved' },
          graph: { status: 200, requestId: 'read-2' },
        },
      ],
    );
    const { actions } = rig(graph, clock);
    assert.equal(await actions.refusal(click(target)), null);
    await actions.act(click(target));
    assert.equal(graph.writes, 1);
  });

  it('refuses a moment on a button that takes no decision, and one that is not a time', () => {
    const cancel = {
      verb: 'governance.act',
      operation: 'cancelAccessPackageRequest',
      ids: { requestId: REQUEST },
      endsAt: 1,
    };
    assert.equal(parseButtonData(cancel).ok, false);
    const approve = {
      verb: 'governance.act',
      operation: 'decideAccessPackageApproval',
      ids: { requestId: REQUEST },
      decision: 'approve',
    };
    assert.equal(parseButtonData({ ...approve, endsAt: '2026-01-01' }).ok, false);
    assert.equal(parseButtonData({ ...approve, endsAt: 1.5 }).ok, false);
  });
});
