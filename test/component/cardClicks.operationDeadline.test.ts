// A click answered before Graph says "Microsoft Graph has not answered yet … if it has not changed
// within a minute, press the button again". The operation behind it chains several Graph calls
// (the read before an access package decision, the PATCH, the read after an unanswered write, a
// re-send, the read after a decision), each with a deadline of its own, so without one deadline
// for the whole click the claim stayed held, and the card could change, well after that minute.
// Every call of a click now shares what is left of CLICK_OPERATION_MS from its arrival. An attempt
// with no answer is cut at its deadline; a write whose answer was lost may or may not have taken
// effect (https://learn.microsoft.com/en-us/graph/errors), so nothing claims it was done.
// Teams' wait for the invoke answer (the 8 s answer is unchanged):
// https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit

import { strict as assert } from 'node:assert';
import { CLICK_BUDGET_MS, CLICK_OPERATION_MS } from '../../src/domain/cardAction';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig } from './botRig';
import { FakeClock } from './fakeClock';
import { rigOnFakeClock } from './heldResume';
import { FINANCE_REPORTS, approveOf } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE_REPORTS);
/** Just under a Graph attempt's own 20 s deadline: each slow read is answered, not cut. */
const SLOW_MS = 19_000;

describe("card clicks: the click's operation keeps to one deadline", () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));

  /** After the click's own read, every read answers after SLOW_MS and a PATCH never (it is cut at
   * its deadline). Every request is kept with its clock time. */
  function slowGraph() {
    const graph = tenantFetch(rig.tenant, GRAPH);
    const sent: Array<{ method: string; at: number }> = [];
    rig.hold = (req) => {
      sent.push({ method: req.method, at: clock.now() });
      if (sent.length === 1) return null;
      if (req.method === 'PATCH') return new Promise<Response>(() => undefined);
      return clock.sleep(SLOW_MS).then(() => graph(req));
    };
    return sent;
  }

  it('a write left unanswered: by the deadline nothing more is sent, the claim is free, nothing says done', async () => {
    rig = start({ silent: true, graphOnClock: true });
    const lynne = rig.user(5);
    await rig.postCard(lynne, 'card-a', APPROVE);
    const sent = slowGraph();
    const arrived = clock.now();

    const pending = (await clock.drive(rig.click(lynne, APPROVE, 'card-a'))).value;
    assert.match(JSON.stringify(pending.body.value), /has not answered yet/);
    assert.ok(clock.now() - arrived <= CLICK_BUDGET_MS + 50, 'the invoke is answered within its 8 s as before');

    await clock.drive(rig.cardActions.idle(), 50, 180_000);
    const endedAfter = clock.now() - arrived;
    assert.ok(endedAfter <= CLICK_OPERATION_MS + 50, `the click's operation ended ${endedAfter} ms after the click`);
    const late = sent.filter((s) => s.at - arrived >= CLICK_OPERATION_MS);
    assert.deepEqual(late, [], `a Graph call started past the click's deadline: ${JSON.stringify(sent)}`);
    assert.equal(sent.filter((s) => s.method === 'PATCH').length, 1, 'the decision was sent once, never again');
    assert.equal(rig.updates.filter((u) => u.id === 'card-a').length, 0, 'no card says it was done');

    // The claim was released: a press now reads Graph and acts anew, not "someone is acting".
    rig.hold = null;
    const again = (await clock.drive(rig.click(lynne, APPROVE, 'card-a'))).value;
    assert.doesNotMatch(JSON.stringify(again.body.value), /is acting on this right now/);
  });
});
