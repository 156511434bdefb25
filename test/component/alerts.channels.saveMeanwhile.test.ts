// A settings Save leaves a toggle its presser did not switch as stored, whoever changed it after
// their card was shown (alerts.channels.saveChanged.test.ts). The card it answers with shows what is
// stored, so such a setting differs from what the presser saw and left: without a word they may
// believe their own Save set it. The answer names each one, and, being a current card whose Save
// carries what it shows, lets them change it with one more press. Every toggle's value goes with a
// press, switched or not (https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/input-toggle),
// so the presses here are built from the cards the bot sent (settingsPress.ts).

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { ownersCards, pressedSave, settingsCardIn, togglesOf } from './settingsPress';

const CARD = 'settings-card-1';
const MEANWHILE = /Meanwhile/;

describe('a settings Save names the settings changed by others since its card was shown', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });
  /** A second owner of the team, who may save too, and the card each is shown. */
  const { other, shownCard } = ownersCards(session);

  it("two cards shown before either Save: the second's answer names what the first turned on, and changes it on the next press", async () => {
    await install();
    const cardOfA = await shownCard();
    const cardOfB = await shownCard(other());

    const first = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(cardOfA, { roleRequests: true })));
    assert.equal(first.invoke?.status, 200);
    assert.doesNotMatch(JSON.stringify(first.invoke?.body), MEANWHILE, 'nothing had changed since its card');

    const second = await a.rig.turn(a.saveClick(other(), CH_A, CARD, pressedSave(cardOfB, { actions: true })));
    assert.equal(second.invoke?.status, 200);
    const said = JSON.stringify(second.invoke?.body);
    assert.match(said, /saved the alert settings of #Ops A: turned on Actions taken through the bot\./);
    assert.match(
      said,
      /Meanwhile PIM role requests was turned on by another change; this Save, from a card that showed it off, left it on\. To change it, switch it below and press Save\./,
    );

    // The answer is a current card: its Save carries what it shows, so switching PIM role requests
    // off there turns it off, and the line is not said again.
    const answered = settingsCardIn(second.invoke?.body);
    assert.equal(togglesOf(answered).roleRequests, 'true');
    const again = await a.rig.turn(a.saveClick(other(), CH_A, CARD, pressedSave(answered, { roleRequests: false })));
    assert.equal(again.invoke?.status, 200);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['actions']);
    const saidAgain = JSON.stringify(again.invoke?.body);
    assert.match(saidAgain, /turned off PIM role requests\./);
    assert.doesNotMatch(saidAgain, MEANWHILE);
  });

  it('nothing changed by others: no such line', async () => {
    await install();
    const card = await shownCard();
    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(card, { actions: true })));
    assert.equal(saved.invoke?.status, 200);
    const said = JSON.stringify(saved.invoke?.body);
    assert.match(said, /saved the alert settings of #Ops A: turned on Actions taken through the bot\./);
    assert.doesNotMatch(said, MEANWHILE);
  });

  it('a toggle the presser switched to what another change made it is applied as now, with no such line', async () => {
    await install();
    const cardOfA = await shownCard();
    const cardOfB = await shownCard(other());
    await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(cardOfA, { roleRequests: true })));

    const second = await a.rig.turn(a.saveClick(other(), CH_A, CARD, pressedSave(cardOfB, { roleRequests: true })));
    assert.equal(second.invoke?.status, 200);
    assert.doesNotMatch(JSON.stringify(second.invoke?.body), MEANWHILE);
  });

  it('typed changes both ways since the card was shown are each named, and the settings stay as typed', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on approvals');
    const card = await shownCard();
    await a.say(owner(), CH_A, 'alerts off approvals');
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_A, 'alerts on groups');

    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(card, { digest: true })));
    assert.equal(saved.invoke?.status, 200);
    const stored = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(stored?.categories, ['roleRequests', 'groupRequests']);
    assert.equal(stored?.digest, true);
    const said = JSON.stringify(saved.invoke?.body);
    assert.match(said, /turned on Daily digest\./);
    assert.match(
      said,
      /Meanwhile PIM role requests and PIM group requests were turned on by another change; this Save, from a card that showed them off, left them on\./,
    );
    assert.match(
      said,
      /Meanwhile Approvals waiting was turned off by another change; this Save, from a card that showed it on, left it off\. To change them, switch them below and press Save\./,
    );
  });

  it('Action.Submit (clients without Universal Actions): the card the Save leaves names it too', async () => {
    await install();
    const cardOfA = await shownCard();
    const cardOfB = await shownCard(other());
    const submit = (user: ReturnType<typeof owner>, value: Record<string, unknown>) =>
      a.rig.turn(a.inChannel(user, CH_A, { type: 'message', value }));

    await submit(owner(), pressedSave(cardOfA, { digest: true }, 'submit'));
    const { sent } = await submit(other(), pressedSave(cardOfB, { actions: true }, 'submit'));
    assert.match(
      cardsOf([...sent, ...a.rig.updates]),
      /Meanwhile Daily digest was turned on by another change; this Save, from a card that showed it off, left it on\./,
    );
  });

  it('a card posted before cards said what they showed names nothing it left as stored', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on approvals');
    // Made before "approvals" and the digest were on cards: no toggle for either, and no `shown`.
    const old = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, { roleRequests: 'false', actions: 'true' }));
    assert.equal(old.invoke?.status, 200);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['approvals', 'actions']);
    const said = JSON.stringify(old.invoke?.body);
    assert.match(said, /turned on Actions taken through the bot\./);
    assert.doesNotMatch(said, MEANWHILE, 'what that card showed is not known');
  });
});
