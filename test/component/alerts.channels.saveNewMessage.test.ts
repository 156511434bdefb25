// A settings card's Save pressed through the Action.Submit fallback (clients without Universal
// Actions) arrives as a message; the bot then replaces the pressed card for everyone, and when Teams
// refuses that edit (as it does for a message deleted meanwhile: updateActivity,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages)
// it sends the saved settings card as a new message in the thread. That new card is the one the
// person now sees, so its Save must act: on this channel, on what that card shows (its `shown`), and
// replace that new message, not the card first pressed. A press of Action.Submit sends the button's
// data with every input's value merged in
// (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/input-validation;
// pressed here from the card the bot sent: settingsPress.ts), as a message whose replyToId is the
// card's message
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#adaptive-cards-actions).

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { AlertsRig, CH_A } from './alertsRig';
import { User, cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { pressedSave, sentCards, settingsCardIn, togglesOf } from './settingsPress';

describe('a settings Save on the card sent as a new message after Teams refused the edit', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  /** The message holding the settings card in what a turn sent. */
  const settingsMessage = (sent: ReadonlyArray<Partial<Activity>>): Partial<Activity> => {
    const message = sent.find((m) => m.type === 'message' && m.attachments?.length);
    assert.ok(message?.id, `a message with a card was sent: ${JSON.stringify(sent).slice(0, 300)}`);
    settingsCardIn(sentCards([message]));
    return message;
  };

  /** Save pressed through the Action.Submit fallback on the card posted as `cardId`. */
  const submit = (user: User, cardId: string, value: Record<string, unknown>) =>
    a.rig.turn(a.inChannel(user, CH_A, { type: 'message', value, replyToId: cardId }));

  /** A Save through the fallback whose edit Teams refuses: the saved card, sent as a new message. */
  const savedAsNewMessage = async (): Promise<Partial<Activity>> => {
    const shown = settingsMessage((await a.say(owner(), CH_A, 'alerts')).sent);
    const first = settingsCardIn(sentCards([shown]));
    a.rig.failUpdates = true;
    const { sent } = await submit(owner(), shown.id!, pressedSave(first, { roleRequests: true }, 'submit'));
    a.rig.failUpdates = false;
    assert.equal(a.rig.updates.length, 0, 'Teams took no edit');
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['roleRequests']);
    const message = settingsMessage(sent);
    assert.match(cardsOf([message]), /turned on PIM role requests\./);
    assert.equal(togglesOf(settingsCardIn(sentCards([message]))).roleRequests, 'true', 'it shows the saved setting');
    return message;
  };

  it('Action.Submit: its Save changes what was switched on it, keeps what it shows, and replaces that message', async () => {
    await install();
    const message = await savedAsNewMessage();
    const card = settingsCardIn(sentCards([message]));

    a.rig.updates.length = 0;
    const { sent } = await submit(owner(), message.id!, pressedSave(card, { actions: true }, 'submit'));
    const stored = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(stored?.categories, ['roleRequests', 'actions'], 'the switched toggle is saved, the other kept');
    assert.equal(stored?.digest, false);
    assert.equal(sent.length, 0, 'answered by replacing the card, no further message');
    const edits = a.rig.updates.filter((u) => u.id === message.id);
    assert.equal(edits.length, 1, 'the new message is the card replaced');
    const said = cardsOf(edits);
    assert.match(said, /saved the alert settings of #Ops A: turned on Actions taken through the bot\./);
    assert.doesNotMatch(said, /turned off|Meanwhile|not saved/);
    const left = togglesOf(settingsCardIn(sentCards(edits)));
    assert.equal(left.roleRequests, 'true');
    assert.equal(left.actions, 'true');
  });

  it('Action.Submit: a change made after it was sent stays, as its `shown` tells the Save it did not show it', async () => {
    await install();
    const message = await savedAsNewMessage();
    const card = settingsCardIn(sentCards([message]));
    await a.say(owner(), CH_A, 'alerts on approvals');

    a.rig.updates.length = 0;
    await submit(owner(), message.id!, pressedSave(card, { actions: true }, 'submit'));
    const stored = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(stored?.categories.slice().sort(), ['actions', 'approvals', 'roleRequests']);
    const said = cardsOf(a.rig.updates.filter((u) => u.id === message.id));
    assert.match(said, /turned on Actions taken through the bot\./);
    assert.match(
      said,
      /Meanwhile Approvals waiting was turned on by another change; this Save, from a card that showed it off, left it on\./,
    );
  });

  it('Action.Execute (a client with Universal Actions): its Save acts on it the same way', async () => {
    await install();
    const message = await savedAsNewMessage();
    const card = settingsCardIn(sentCards([message]));

    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, message.id!, pressedSave(card, { digest: true })));
    assert.equal(saved.invoke?.status, 200);
    const stored = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(stored?.categories, ['roleRequests']);
    assert.equal(stored?.digest, true);
    const answer = JSON.stringify(saved.invoke?.body);
    assert.match(answer, /saved the alert settings of #Ops A: turned on Daily digest\./);
    assert.doesNotMatch(answer, /turned off/);
    await a.rig.bot.idle();
    assert.equal(a.rig.updates.filter((u) => u.id === message.id).length, 1, 'everyone sees the new message replaced');
  });
});
