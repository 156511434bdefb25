// A write that outlives its click and then fails. The clicker was answered "Graph has not answered
// yet"; a colleague who pressed meanwhile was answered that the clicker is acting. When Graph's late
// answer is a refusal, the claim is released and the card stays as it is for everyone (a failure is
// the clicker's, README "Notifications"; only a refusal because the item finished meanwhile settles
// the card, cardClicks.lateLostRace, and one no press can mend changes it, cardClicks.lateBarred),
// and no answer can reach anyone any more (an invoke answers
// once). So those two cards must not promise a change for everyone that will never come: they say
// to press the button again if the card has not changed, and they keep the buttons to do it. A press
// after the release acts anew (one write in flight at a time: a press while the claim is held is
// still answered "acting", nothing is sent twice).
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format
// (the card an invoke returns replaces the clicker's copy only).

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { FakeClock, settle } from './fakeClock';
import { holdFirstResume, resumeTask, rigOnFakeClock } from './heldResume';
import { buttonsOf as cardButtonsOf } from '../fixtures/cardButtons';

describe('card clicks: a write that fails after its click answered', () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));
  const task = resumeTask;

  const buttons = (value: unknown): string[] => cardButtonsOf<{ title?: string }>(value).map((a) => a.title ?? '');

  it('the pending and acting cards say to press again if nothing changes, keep their buttons, and a press after acts', async () => {
    rig = start();
    const megan = rig.user(0);
    const lynne = rig.user(5);
    await rig.signIn(megan);
    await rig.signIn(lynne);
    await rig.postCard(megan, 'card-t', task(rig, 'completed'));
    await rig.postCard(lynne, 'card-t', task(rig, 'completed'));
    const { release } = holdFirstResume(rig);

    const pending = (await clock.drive(rig.click(megan, task(rig, 'completed'), 'card-t'))).value;
    const pendingText = JSON.stringify(pending.body.value);
    assert.match(pendingText, /has not answered yet/);
    assert.match(pendingText, /press (the|a) button again/i, `the clicker is told what to do: ${pendingText}`);
    assert.deepEqual(buttons(pending.body.value), ['Approve', 'Reject']);

    const acting = (await clock.drive(rig.click(lynne, task(rig, 'failed'), 'card-t'))).value;
    const actingText = JSON.stringify(acting.body.value);
    assert.match(actingText, /Megan Bowen is acting on this right now/);
    assert.match(actingText, /press (the|a) button again/i, `the colleague is told what to do: ${actingText}`);
    assert.deepEqual(buttons(acting.body.value), ['Approve', 'Reject'], 'the colleague keeps the buttons');
    // rig.writes() lists what reached the simulated tenant; the held write has not.
    assert.equal(rig.writes().length, 0, 'only the held write is in flight: nothing sent twice');

    // Graph refuses the held write late: nothing changed, the claim is released, no card edited.
    release(
      new Response(JSON.stringify({ error: { code: 'Authorization_RequestDenied', message: 'refused by the test' } }), {
        status: 403,
        headers: { 'content-type': 'application/json' },
      }),
    );
    await settle();
    await rig.bot.idle();
    assert.equal(rig.updates.filter((u) => u.id === 'card-t').length, 0, 'nothing changed for anyone');

    const again = (await clock.drive(rig.click(lynne, task(rig, 'failed'), 'card-t'))).value;
    assert.match(JSON.stringify(again.body.value), /Rejected by Lynne Robbins/);
    assert.equal(rig.writes().length, 1, 'the press after the failure acted');
  });
});
