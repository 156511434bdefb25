// A settings card's Save carries every toggle of the card: Teams sends each Input.Toggle's value,
// valueOn or valueOff ("false" by default), with the button's data
// (https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/input-toggle,
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).
// A Save that carries none of them (a client that sent no inputs, a press built by hand) says
// nothing of what the channel should hear: it was saved as "everything off", silently turning off
// what the channel followed. A team's owner expects a press that chose nothing to change nothing,
// and to be told so: it is refused, and the settings stay.

import { strict as assert } from 'node:assert';
import { CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';

describe('channel alerts: a Save that carries none of the card’s choices', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;

  it('changes nothing and says so, by Action.Execute and by its Action.Submit fallback', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    const before = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(before?.categories, ['roleRequests']);

    const executed = await a.rig.turn(a.saveClick(owner(), CH_A, 'settings-card-1', { kind: 'alerts.settings' }));
    assert.match(JSON.stringify(executed.invoke?.body), /carried none of the card's choices, so nothing was changed/);
    assert.deepEqual(await a.alerts.subscriptions.get(CH_A), before);

    const submitted = await a.rig.turn(
      a.inChannel(owner(), CH_A, { type: 'message', value: { kind: 'alerts.settings' } }),
    );
    assert.match(cardsOf(submitted.sent), /carried none of the card's choices, so nothing was changed/);
    assert.deepEqual(await a.alerts.subscriptions.get(CH_A), before);
  });
});
