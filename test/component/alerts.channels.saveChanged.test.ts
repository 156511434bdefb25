// A settings card's Save changes only what its presser changed. Teams sends every toggle's value
// with a Save, switched or not, so two owners saving cards shown before either Save ended as the
// later card showed them: the first Save's choice was undone by a card that never showed it. The
// Save button's data now carries what its card showed, and a toggle left as shown keeps the stored
// setting. Pressed here from the cards the bot sent (settingsPress.ts), as Teams sends the press.
// Every toggle's value goes with a press: a toggle that is not required is sent whenever it has a
// value, its valueOn when ticked and its valueOff ("false" on this card) when not
// (https://adaptivecards.io/explorer/Input.Toggle.html; the renderer Teams uses:
// node_modules/adaptivecards/lib/card-elements.js, ToggleInput isSet() and value).

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { ownersCards, pressedSave, settingsCardIn, togglesOf } from './settingsPress';

const CARD = 'settings-card-1';

describe('a settings Save changes only the toggles its presser switched', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });
  /** A second owner of the team, who may save too, and the card each is shown. */
  const { other, shownCard } = ownersCards(session);

  it('two cards shown before either Save: each Save lands, neither undoes the other', async () => {
    await install();
    const cardOfA = await shownCard();
    const cardOfB = await shownCard(other());

    const first = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(cardOfA, { roleRequests: true })));
    assert.equal(first.invoke?.status, 200);
    // B's card still shows PIM role requests off: B never touched it.
    const second = await a.rig.turn(a.saveClick(other(), CH_A, CARD, pressedSave(cardOfB, { actions: true })));
    assert.equal(second.invoke?.status, 200);

    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['roleRequests', 'actions']);
    const said = JSON.stringify(second.invoke?.body);
    assert.match(said, /saved the alert settings of #Ops A: turned on Actions taken through the bot\./);
    assert.doesNotMatch(said, /turned off/);
    const left = togglesOf(settingsCardIn(second.invoke?.body));
    assert.equal(left.roleRequests, 'true', 'the card the Save leaves shows both');
    assert.equal(left.actions, 'true');
  });

  it('a card shown before a typed change leaves that change, and saves the toggle its presser switched', async () => {
    await install();
    const card = await shownCard();
    await a.say(owner(), CH_A, 'alerts on approvals');

    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(card, { digest: true })));
    assert.equal(saved.invoke?.status, 200);
    const stored = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(stored?.categories, ['approvals'], 'the typed change stands');
    assert.equal(stored?.digest, true);
    assert.match(JSON.stringify(saved.invoke?.body), /turned on Daily digest\./);

    // Pressed again with nothing switched: nothing changes, and it says so.
    const again = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(card)));
    assert.match(JSON.stringify(again.invoke?.body), /saved the alert settings of #Ops A; nothing changed\./);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['approvals']);
  });

  it('Action.Submit (clients without Universal Actions): the same, through the fallback’s data', async () => {
    await install();
    const cardOfA = await shownCard();
    const cardOfB = await shownCard(other());
    const submit = (user: ReturnType<typeof owner>, value: Record<string, unknown>) =>
      a.rig.turn(a.inChannel(user, CH_A, { type: 'message', value }));

    await submit(owner(), pressedSave(cardOfA, { roleRequests: true, digest: true }, 'submit'));
    const { sent } = await submit(other(), pressedSave(cardOfB, { actions: true }, 'submit'));

    const stored = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(stored?.categories, ['roleRequests', 'actions']);
    assert.equal(stored?.digest, true, 'the digest stays on');
    assert.match(cardsOf([...sent, ...a.rig.updates]), /turned on Actions taken through the bot\./);
  });
});
