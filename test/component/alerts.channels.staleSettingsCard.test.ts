// A settings card shown before a typed `alerts off <category>` still shows the category on: a bot's
// card changes only when the bot updates it (updateActivity replaces the whole card:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages),
// and Governance Bot keeps no list of the settings cards it has shown. Its Save writes every toggle at
// once, so a Save pressed on such a card turns the category back on: the card it leaves, for the
// presser and for everyone, says what the Save turned on and off; and the typed change says that
// cards shown earlier do not change. In a channel the bot hears only an @mention
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations).

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { showsSave, saveWords } from '../../src/bot/alertSaveWords';

const CARD = 'settings-card-1';

describe('a Save on a settings card shown before a typed change says what it changes', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  const both = { roleRequests: 'true', actions: 'true', digest: 'false' };

  it('Action.Execute: the answer and the card everyone sees name the category turned back on', async () => {
    await install();
    const first = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, both));
    assert.equal(first.invoke?.status, 200);
    await a.rig.bot.idle();

    const off = cardsOf((await a.say(owner(), CH_A, 'alerts off actions')).sent);
    assert.match(off, /This channel no longer hears actions taken through the bot\./);
    assert.match(off, /Settings cards shown earlier here do not change by themselves/);
    assert.match(off, /@mention Governance Bot and type \\"alerts\\"/);
    assert.doesNotMatch(off, /Type \\"alerts/);

    // The card shown before still has "actions" on; its Save writes it back, and says so.
    a.rig.updates.length = 0;
    const stale = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, both));
    assert.equal(stale.invoke?.status, 200);
    const answer = JSON.stringify(stale.invoke?.body);
    const said = `${owner().name} saved the alert settings of #${'[^:]+'}: turned on Actions taken through the bot\\.`;
    assert.match(answer, /Alert settings saved/);
    assert.match(answer, new RegExp(said));
    await a.rig.bot.idle();
    const edits = a.rig.updates.filter((u) => u.id === CARD);
    assert.ok(edits.length >= 1, 'the card everyone sees was updated');
    assert.match(cardsOf([edits.at(-1)!]), new RegExp(said), 'everyone sees what the Save changed');
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories.slice().sort(), ['actions', 'roleRequests']);

    // The same card saved again changes nothing, and says that.
    const again = JSON.stringify((await a.rig.turn(a.saveClick(owner(), CH_A, CARD, both))).invoke?.body);
    assert.match(again, /saved the alert settings of #[^:;]+; nothing changed\./);
  });

  it('Action.Submit (clients without Universal Actions): the card left says what the Save turned on and off', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    const { sent } = await a.rig.turn(
      a.inChannel(owner(), CH_A, {
        type: 'message',
        value: { kind: 'alerts.settings', actions: 'true', roleRequests: 'false', digest: 'true' },
      }),
    );
    const card = cardsOf([...sent, ...a.rig.updates]);
    assert.match(
      card,
      /turned on Actions taken through the bot, Daily digest; turned off PIM role requests\./,
      'the Save says what it changed',
    );
  });

  it("a Save's words stay off a card made after a later write changed the settings", () => {
    const words = saveWords('#ops', { categories: ['actions'], digest: false }, [], 'Megan');
    assert.equal(showsSave({ categories: ['actions'], digest: false }, words), true);
    assert.equal(showsSave({ categories: [], digest: false }, words), false);
    assert.equal(showsSave({ categories: ['actions'], digest: true }, words), false);
    assert.equal(showsSave({ categories: ['actions', 'roleRequests'], digest: false }, words), false);
  });
});
