// Claims under time: a click that lost its claim to a slower-than-the-lease Graph never publishes
// its outcome (issue 7.4), a write that outlives its click holds the claim and is shown when it
// ends, and a claim orphaned by a crash is reconciled at once (issue 7.13). Time is a fake clock:
// waiting is counted, never slept.

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { Claims } from '../../src/state/claims';
import { Instances } from '../../src/state/instances';
import { Rig, cardsOf } from './botRig';
import { FakeClock, settle } from './fakeClock';
import { holdFirstResume, resumeTask, rigOnFakeClock } from './heldResume';

const DEAD_PID = 999_999;

describe('card claims under time', () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));
  const task = resumeTask;

  it('a click whose claim was taken over while Graph was slow never publishes its outcome (issue 7.4)', async () => {
    // The lease is set shorter than the click budget to force what, with the defaults, only a
    // holder that cannot renew (a stalled process) would meet: its lease runs out mid-write.
    rig = start({ leaseMs: 5_000, budgetMs: 8_000, renewEveryMs: 0 });
    const megan = rig.user(0);
    const lynne = rig.user(5);
    await rig.signIn(megan);
    await rig.signIn(lynne);
    await rig.postCard(megan, 'card-t', task(rig, 'completed'));
    await rig.postCard(lynne, 'card-t', task(rig, 'completed'));
    const held = holdFirstResume(rig);

    const approving = rig.click(megan, task(rig, 'completed'), 'card-t');
    await held.seen;
    await clock.advance(6_000); // past Megan's lease, within her click's budget

    const rejected = (await clock.drive(rig.click(lynne, task(rig, 'failed'), 'card-t'))).value;
    assert.match(JSON.stringify(rejected.body.value), /Rejected by Lynne Robbins/);

    // Graph finally answers Megan's write (it raced Lynne's and was accepted late).
    held.release(new Response(null, { status: 204 }));
    const approved = (await clock.drive(approving)).value;
    const shown = JSON.stringify(approved.body.value);
    assert.doesNotMatch(shown, /Approved by/);
    // A custom task's result names nobody who resumed it, so the card says its state, not that
    // someone else decided (cardClicks.resumedInChat).
    assert.match(
      shown,
      /It is failed now, so \\"Approve\\" was not applied/,
      "Megan sees Graph's state, not her own outcome",
    );
    assert.doesNotMatch(shown, /Someone else/);
    assert.ok(rig.updates.length > 0);
    assert.doesNotMatch(cardsOf(rig.updates), /Approved by/, 'nobody else saw an untrue outcome');
    assert.equal(
      rig.tenant.getTaskResult('', '', rig.seed.examples.taskProcessingResultId)?.processingStatus,
      'failed',
    );
  });

  it('a write that outlives its click keeps its claim (renewed), and its outcome reaches everyone when Graph answers', async () => {
    rig = start();
    const megan = rig.user(0);
    const lynne = rig.user(5);
    await rig.signIn(megan);
    await rig.signIn(lynne);
    await rig.postCard(megan, 'card-t', task(rig, 'completed'));
    await rig.postCard(lynne, 'card-t', task(rig, 'completed'));
    const held = holdFirstResume(rig);

    const first = await clock.drive(rig.click(megan, task(rig, 'completed'), 'card-t'));
    assert.match(JSON.stringify(first.value.body.value), /has not answered yet/);
    assert.ok(first.waitedMs <= 8_050, 'the click answered within its budget');

    await clock.advance(45_000); // longer than the 30 s lease: renewal keeps it
    const second = await clock.drive(rig.click(lynne, task(rig, 'failed'), 'card-t'));
    assert.match(JSON.stringify(second.value.body.value), /Megan Bowen is acting on this right now/);
    assert.equal(rig.writes().length, 0, "Lynne's click wrote nothing; Megan's is still held");

    held.release(new Response(null, { status: 204 }));
    await settle();
    await rig.bot.idle();
    assert.match(cardsOf(rig.updates.filter((u) => u.id === 'card-t')), /Approved by Megan Bowen/);
  });

  it('a click that reads the done state while the winner is still completing its claim shows the winner, not a bare state', async () => {
    // Two clicks reach two instances: the winner's write has landed at Graph, its answer (and so its
    // claim's completion) is still on the way when the second click reads Graph. The second click
    // must wait for the winner's outcome, so every clicker sees "Approved by …".
    rig = start();
    const megan = rig.user(0);
    const lynne = rig.user(5);
    await rig.signIn(megan);
    await rig.signIn(lynne);
    await rig.postCard(megan, 'card-t', task(rig, 'completed'));
    await rig.postCard(lynne, 'card-t', task(rig, 'completed'));
    const held = holdFirstResume(rig);

    const approving = rig.click(megan, task(rig, 'completed'), 'card-t');
    await held.seen;
    // Graph has applied Megan's resume; its 204 has not reached her instance yet.
    (
      rig.tenant.getTaskResult('', '', rig.seed.examples.taskProcessingResultId) as Record<string, unknown>
    ).processingStatus = 'completed';

    const second = rig.click(lynne, task(rig, 'completed'), 'card-t');
    await clock.advance(300);
    held.release(new Response(null, { status: 204 }));
    const [first, other] = await Promise.all([clock.drive(approving), clock.drive(second)]);
    assert.match(JSON.stringify(first.value.body.value), /Approved by Megan Bowen/);
    assert.match(
      JSON.stringify(other.value.body.value),
      /Approved by Megan Bowen/,
      'the second clicker sees who did it',
    );
  });

  it('a claim orphaned by a crash is reconciled against Graph at once (issue 7.13)', async () => {
    rig = start({ processAlive: (pid) => pid !== DEAD_PID });
    const megan = rig.user(0);
    await rig.signIn(megan);
    // A process on this machine took two claims and crashed (its pid is gone, its heartbeat not yet).
    const crashed = new Instances(rig.state.records, { bootId: 'crashed', pid: DEAD_PID, now: () => clock.now() });
    await crashed.beat();
    const claims = new Claims(rig.state.records, { instance: 'crashed', now: () => clock.now() });
    const taskId = rig.seed.examples.taskProcessingResultId;
    const canceledAlready = '95c690fb-3eb3-4942-a03f-4524aed6f323';
    await claims.take(Claims.keyOf('resumeTask', taskId), { userId: 'someone', userName: 'Someone' });
    await claims.take(Claims.keyOf('cancelRoleRequest', canceledAlready), { userId: 'someone', userName: 'Someone' });

    await rig.postCard(megan, 'card-t', task(rig, 'completed'));
    const approved = await clock.drive(rig.click(megan, task(rig, 'completed'), 'card-t'));
    assert.match(JSON.stringify(approved.value.body.value), /Approved by Megan Bowen/);
    assert.equal(approved.waitedMs, 0, 'no waiting on a dead holder');
    assert.equal(rig.writes().length, 1);

    // Its write had landed before it died: Graph says so, at once.
    const role: Target = { operation: 'cancelRoleRequest', ids: { requestId: canceledAlready } };
    await rig.postCard(megan, 'card-r', role);
    const settled = await clock.drive(rig.click(megan, role, 'card-r'));
    assert.match(JSON.stringify(settled.value.body.value), /Already cancelled; nothing more to do/);
    assert.equal(settled.waitedMs, 0);
    assert.equal(rig.writes().length, 1);
  });

  // A holder in another container whose heartbeat writes fail (the store failing for it alone)
  // while its claim renewals succeed is still writing to Graph: taking its claim over would let a
  // second click write too. Only once it has not renewed for half a lease (one and a half renewals)
  // is its silence taken for a crash, still well before the lease runs out.
  it('a claim of a holder without a heartbeat but renewed lately is not taken over; one not renewed for half a lease is', async () => {
    rig = start();
    const megan = rig.user(0);
    await rig.signIn(megan);
    // No heartbeat is ever written for 'silent' (another container: no pid to ask).
    const claims = new Claims(rig.state.records, { instance: 'silent', now: () => clock.now() });
    const taskId = rig.seed.examples.taskProcessingResultId;
    const key = Claims.keyOf('resumeTask', taskId);
    const taken = await claims.take(key, { userId: 'someone', userName: 'Someone' });
    assert.ok(taken.won);

    await rig.postCard(megan, 'card-s', task(rig, 'completed'));
    const busy = await clock.drive(rig.click(megan, task(rig, 'completed'), 'card-s'));
    assert.equal(rig.writes().length, 0, 'the silent holder renewed lately: its claim holds');
    assert.match(JSON.stringify(busy.value.body.value), /Someone/, 'the clicker is told who is acting');

    // It renews once more (it is alive), then goes quiet for good.
    assert.equal(await claims.renew(key, taken.fence), true);
    await clock.advance(claims.leaseMs / 2 + 1);
    const after = await clock.drive(rig.click(megan, task(rig, 'completed'), 'card-s'));
    assert.equal(rig.writes().length, 1, 'silent and not renewed for half a lease: taken over');
    assert.match(JSON.stringify(after.value.body.value), /Approved by Megan Bowen/);
  });

  // The verdict "silent and not renewed for half a lease" is formed from a record read before the
  // take; a renewal that lands in between (a late one, or one the take's conditional write raced)
  // shows the holder alive and still writing to Graph. The take must not act on the stale verdict.
  it('a silent holder that renews between the verdict and the take keeps its claim', async () => {
    rig = start();
    const megan = rig.user(0);
    await rig.signIn(megan);
    const claims = new Claims(rig.state.records, { instance: 'silent', now: () => clock.now() });
    const e = rig.seed.examples;
    const target: Target = {
      operation: 'resumeTask',
      ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId },
      decision: 'completed',
    };
    const key = Claims.keyOf('resumeTask', e.taskProcessingResultId);
    const taken = await claims.take(key, { userId: 'someone', userName: 'Someone' });
    assert.ok(taken.won);
    await clock.advance(claims.leaseMs / 2 + 1);

    // Its (late) renewal lands just after the click read the claim, while liveness is asked.
    const liveness = rig.instances.liveness.bind(rig.instances);
    let renewed = false;
    rig.instances.liveness = async (instance) => {
      if (instance === 'silent' && !renewed) {
        renewed = true;
        assert.equal(await claims.renew(key, taken.fence), true);
      }
      return liveness(instance);
    };

    await rig.postCard(megan, 'card-s', target);
    const busy = await clock.drive(rig.click(megan, target, 'card-s'));
    assert.ok(renewed);
    assert.equal(rig.writes().length, 0, 'the holder renewed: its claim holds, nothing is written twice');
    assert.match(JSON.stringify(busy.value.body.value), /Someone/, 'the clicker is told who is acting');
  });
});
