// A click that waited for another click's claim, which then ended without an outcome (its write
// failed, possibly after reaching Graph: a 5xx says nothing of whether it acted), must not write on
// its own read from before that write: Graph may have taken the other write meanwhile. It reads
// again first, as a click that takes over a crashed holder's claim does (contract §4: no write is
// sent again after a 5xx or a timeout without first learning, by a read, that it did not take
// effect; https://learn.microsoft.com/graph/errors#http-status-codes).

import { strict as assert } from 'node:assert';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig } from './botRig';
import { FakeClock } from './fakeClock';
import { bothHoldingCards, loseResumeThenShowIt, resumeTask, rigOnFakeClock, taskResult } from './heldResume';

describe('a claim released while another click waited for it', () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));

  it('is taken only after Graph is read again: a write whose answer was lost may have landed', async () => {
    rig = start();
    const { megan, lynne } = await bothHoldingCards(rig);
    // Megan's resume and its one re-send are answered 500 (never reaching the tenant); the read
    // after the re-send still shows the task waiting, and then Graph shows her first resume taken.
    const { seen, answerFirst } = loseResumeThenShowIt(rig);

    const approving = rig.click(megan, resumeTask(rig, 'completed'), 'card-t');
    await seen;
    // Lynne reads the task (still waiting) and finds Megan's claim held: she waits for it.
    const rejecting = rig.click(lynne, resumeTask(rig, 'failed'), 'card-t');
    await clock.advance(300);
    answerFirst(new Response(null, { status: 500 }));

    const [approved, rejected] = await Promise.all([clock.drive(approving), clock.drive(rejecting)]);
    assert.match(JSON.stringify(approved.value.body.value), /may or may not/i, 'Megan: outcome unknown');
    assert.equal(rig.writes().length, 0, 'no second resume reached Graph');
    const shown = JSON.stringify(rejected.value.body.value);
    assert.match(shown, /It is completed now, so \\"Reject\\" was not applied/, shown);
    // Lynne holds the claim while she reads again: she does not wait for her own claim's outcome
    // until her time is up (past the 5 s after which Teams sends the invoke again).
    assert.ok(rejected.waitedMs < 2_000, `answered after ${rejected.waitedMs} ms`);
  });
  it('let go while this click read Graph: the read is made again before the write', async () => {
    rig = start();
    const { megan, lynne } = await bothHoldingCards(rig);
    const result = () => taskResult(rig);
    const graph = tenantFetch(rig.tenant, GRAPH);

    // Megan's resume is held, then answered 500 as its re-send is; Lynne's read, made while Megan's
    // resume is with Graph (the task still waiting), is answered only after Megan's claim was let
    // go, and by then Graph shows Megan's first resume taken.
    let firstSeen!: () => void;
    const seen = new Promise<void>((s) => (firstSeen = s));
    let answerFirst!: (res: Response) => void;
    const first = new Promise<Response>((a) => (answerFirst = a));
    let lynneSeen!: () => void;
    const lynneReading = new Promise<void>((s) => (lynneSeen = s));
    let answerLynne!: () => void;
    const lynneGo = new Promise<void>((a) => (answerLynne = a));
    let posts = 0;
    let gets = 0;
    rig.hold = (req) => {
      if (req.method === 'POST' && req.url.includes('/resume')) {
        posts += 1;
        if (posts === 1) {
          firstSeen();
          return first;
        }
        if (posts === 2) return Promise.resolve(new Response(null, { status: 500 }));
        return null;
      }
      if (req.method !== 'GET' || posts === 0) return null;
      gets += 1;
      if (gets === 1) {
        lynneSeen();
        return graph(req).then(async (res) => {
          await lynneGo;
          return res;
        });
      }
      // Megan's read after her first resume, then her last read after the re-send.
      if (gets === 3)
        return graph(req).then((res) => {
          result().processingStatus = 'completed';
          return res;
        });
      return null;
    };

    const approving = rig.click(megan, resumeTask(rig, 'completed'), 'card-t');
    await seen;
    const rejecting = rig.click(lynne, resumeTask(rig, 'failed'), 'card-t');
    await lynneReading;
    answerFirst(new Response(null, { status: 500 }));
    const approved = await clock.drive(approving);
    assert.match(JSON.stringify(approved.value.body.value), /may or may not/i, 'Megan: outcome unknown');
    answerLynne();
    const rejected = await clock.drive(rejecting);
    assert.equal(rig.writes().length, 0, 'no second resume reached Graph');
    const shown = JSON.stringify(rejected.value.body.value);
    assert.match(shown, /It is completed now, so \\"Reject\\" was not applied/, shown);
  });

  it('let go between the look at the claim and its taking: the read is made again before the write', async () => {
    rig = start();
    const { megan, lynne } = await bothHoldingCards(rig);
    // As in the first case: Megan's resume and its re-send are answered 500, and her last read
    // shows her first resume taken.
    const { seen, answerFirst } = loseResumeThenShowIt(rig);

    const approving = rig.click(megan, resumeTask(rig, 'completed'), 'card-t');
    await seen;
    // Lynne reads the task (still waiting) and finds Megan's claim held; while she asks whether
    // Megan's instance is alive, Megan's write fails and her claim is let go: Lynne's take finds it
    // free, taken over from nobody.
    const liveness = rig.instances.liveness.bind(rig.instances);
    let asked!: () => void;
    const lynneAsks = new Promise<void>((s) => (asked = s));
    let letGo!: () => void;
    const released = new Promise<void>((s) => (letGo = s));
    rig.instances.liveness = async (instance) => {
      asked();
      await released;
      return liveness(instance);
    };
    const rejecting = rig.click(lynne, resumeTask(rig, 'failed'), 'card-t');
    await lynneAsks;
    answerFirst(new Response(null, { status: 500 }));
    const approved = await clock.drive(approving);
    assert.match(JSON.stringify(approved.value.body.value), /may or may not/i, 'Megan: outcome unknown');
    letGo();

    const rejected = await clock.drive(rejecting);
    assert.equal(rig.writes().length, 0, 'no second resume reached Graph');
    const shown = JSON.stringify(rejected.value.body.value);
    assert.match(shown, /It is completed now, so \\"Reject\\" was not applied/, shown);
  });
});
