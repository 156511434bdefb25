// A typed command has one deadline (COMMAND_BUDGET_MS) that every Graph call it makes shares: the
// read that names the approval stage, the read before an access package decision, the PATCH, the
// read after an unanswered write. Each call alone may take 30 s (contract §4), so without it the
// typer waited well over a minute for an answer. When the time runs out with the decision sent and
// unanswered, the answer says it may or may not have taken effect and to check before trying
// again; never that it was done (a lost answer says nothing of the outcome:
// https://learn.microsoft.com/en-us/graph/errors). The decision:
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { COMMAND_BUDGET_MS } from '../../src/bot/commandTurns';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig, cardsOf } from './botRig';
import { FakeClock } from './fakeClock';
import { rigOnFakeClock } from './heldResume';
import { FINANCE_REPORTS } from './twoStageCard';

/** Just under a Graph attempt's own 20 s deadline: each slow read is answered, not cut. */
const SLOW_MS = 19_000;

describe('commands: one deadline for the whole command', () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));

  it('reads that took the time and a decision left unanswered: answered by the deadline, "may or may not", how to check', async () => {
    rig = start({ silent: true, graphOnClock: true });
    const lynne = rig.user(5);
    const graph = tenantFetch(rig.tenant, GRAPH);
    const sent: Array<{ method: string; at: number }> = [];
    // Every read answers after SLOW_MS; the PATCH never answers (it is cut at its deadline).
    rig.hold = (req) => {
      sent.push({ method: req.method, at: clock.now() });
      if (req.method === 'PATCH') return new Promise<Response>(() => undefined);
      return clock.sleep(SLOW_MS).then(() => graph(req));
    };
    const typed = clock.now();

    const turn = (await clock.drive(rig.message(lynne, `approve access-request ${FINANCE_REPORTS}`), 50, 180_000))
      .value;
    const answeredAfter = clock.now() - typed;
    assert.ok(answeredAfter <= COMMAND_BUDGET_MS + 50, `the command answered ${answeredAfter} ms after it was typed`);
    assert.deepEqual(
      sent.filter((s) => s.at - typed >= COMMAND_BUDGET_MS),
      [],
      `a Graph call started past the command's deadline: ${JSON.stringify(sent)}`,
    );
    assert.equal(sent.filter((s) => s.method === 'PATCH').length, 1, 'the decision was sent once');
    const text = cardsOf(turn.sent);
    assert.match(text, /may or may not have taken effect/, text);
    assert.match(text, /Check the [^"]* in the Entra admin center before trying again/, text);
    assert.doesNotMatch(text, /Approved by|[Dd]one/, 'nothing says it was done');
    const audit = rig.logs.filter((l) => l.event === 'governance.action');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.outcome, 'failed');
  });
});
