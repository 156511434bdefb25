// An `alerts on|off` command cut short at shutdown (the drain's deadline passed with it still
// asking Teams whether its sender may change the channel's alerts) and Teams delivering it again:
// "If the bot activity takes more than 15 seconds to process, Teams send a retry request to bot
// endpoint" (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics). Before
// the channel's settings are written the turn gives its duplicate mark back, so the redelivery,
// on another instance over the same store, changes them (it was dropped as a duplicate, and the
// channel's alerts silently left as they were); the given-up turn then writes nothing. Teams
// documents a retry of a turn slower than 15 s, not of one whose connection a stop dropped, so
// while no redelivery has begun the given-up turn says nothing was changed and to send the command
// again (a settings card's Save by Action.Submit: to press Save again); once one has, it answers
// nothing (the redelivery answers).
// One cut while it writes the settings keeps its mark: they are written once.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { AlertsRig, CH_A } from './alertsRig';
import { Rig, cardsOf } from './botRig';

describe('alerts: an alerts command cut short at shutdown and delivered again', () => {
  let dir = '';
  let a: AlertsRig;
  let b: AlertsRig;
  beforeEach(() => {
    dir = Rig.dir();
    a = new AlertsRig(dir, { silent: true });
    b = new AlertsRig(dir, { silent: true, tenant: a.rig.tenant });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The `alerts on actions` message with the id `id` from the team's owner, on `rig`. */
  const alertsOn = (rig: AlertsRig, id: string) => {
    const megan = rig.rig.user(0);
    const text = '<at>Governance Bot</at> alerts on actions';
    return rig.rig.turn(rig.inChannel(megan, CH_A, { type: 'message', text, id }));
  };

  /** Holds `a`'s first roster read (is the sender an owner?) until `release`. */
  function holdRoster(): { reached: Promise<void>; release: () => void } {
    for (const r of [a, b]) r.roles.set(a.rig.user(0).id, 'owner');
    let came!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((r) => (came = r));
    const go = new Promise<void>((r) => (release = r));
    a.memberImpl = async (_ctx, userId) => {
      came();
      await go;
      return { userRole: a.roles.get(userId) ?? 'user' };
    };
    return { reached, release };
  }

  it('cut while it asks Teams about its sender, no redelivery yet: the cut turn says nothing was changed; the redelivery turns alerts on', async () => {
    const { reached, release } = holdRoster();
    const cut = alertsOn(a, 'act-alerts-cut');
    await reached;
    assert.equal(await a.turns.giveUp(), 1, 'the mark is given back');
    release();
    const late = await cut;
    assert.equal(late.sent.length, 1, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /Alert settings unchanged/, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /so nothing was changed/, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /send \\"alerts on actions-taken\\" again/, cardsOf(late.sent));
    assert.doesNotMatch(cardsOf(late.sent), /on in this channel/, cardsOf(late.sent));
    assert.ok(a.rig.logs.some((l) => l.event === 'bot.turn.givenUp'));
    assert.equal((await a.alerts.subscriptions.get(CH_A))?.categories.includes('actions') ?? false, false);
    const again = await alertsOn(b, 'act-alerts-cut');
    assert.match(cardsOf(again.sent), /on in this channel/, cardsOf(again.sent));
    assert.doesNotMatch(cardsOf(again.sent), /already/, cardsOf(again.sent));
    assert.deepEqual((await b.alerts.subscriptions.get(CH_A))?.categories, ['actions']);
  });

  it('cut while it asks Teams about its sender, the redelivery begun before the answer: the cut turn answers nothing', async () => {
    const { reached, release } = holdRoster();
    const cut = alertsOn(a, 'act-alerts-redelivered');
    await reached;
    assert.equal(await a.turns.giveUp(), 1, 'the mark is given back');
    const again = await alertsOn(b, 'act-alerts-redelivered');
    assert.match(cardsOf(again.sent), /on in this channel/, cardsOf(again.sent));
    release();
    const late = await cut;
    assert.deepEqual(late.sent, [], 'one answer: the redelivery’s');
    assert.ok(a.rig.logs.some((l) => l.event === 'bot.turn.givenUp'));
  });

  it("an `alerts` (show) cut while it reads the team's channels, no redelivery yet: says no settings were shown", async () => {
    let came!: () => void;
    let go!: () => void;
    const reached = new Promise<void>((r) => (came = r));
    const held = new Promise<void>((r) => (go = r));
    a.channelsImpl = async () => {
      came();
      await held;
      return [{ id: CH_A, name: 'Ops A' }];
    };
    const megan = a.rig.user(0);
    const show = (rig: AlertsRig) =>
      rig.rig.turn(
        rig.inChannel(megan, CH_A, { type: 'message', text: '<at>Governance Bot</at> alerts', id: 'act-show-cut' }),
      );
    const cut = show(a);
    await reached;
    assert.equal(await a.turns.giveUp(), 1, 'the mark is given back');
    go();
    const late = await cut;
    assert.equal(late.sent.length, 1, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /Alert settings not shown/, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /nothing was changed/, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /send \\"alerts\\" again/, cardsOf(late.sent));
    const again = await show(b);
    assert.match(cardsOf(again.sent), /Save/, cardsOf(again.sent));
  });

  // The settings card's Save on a client without Universal Actions is a message too (Action.Submit,
  // https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#action-submit).
  const save = (rig: AlertsRig, id: string) =>
    rig.rig.turn(
      rig.inChannel(rig.rig.user(0), CH_A, {
        type: 'message',
        value: { kind: 'alerts.settings', actions: 'true', roleRequests: 'false' },
        replyToId: 'settings-card-cut',
        id,
      }),
    );

  it('a Save by Action.Submit cut while it asks Teams about its sender, no redelivery yet: says nothing was saved; the redelivery saves', async () => {
    const { reached, release } = holdRoster();
    const cut = save(a, 'act-save-cut');
    await reached;
    assert.equal(await a.turns.giveUp(), 1, 'the mark is given back');
    release();
    const late = await cut;
    assert.equal(late.sent.length, 1, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /Alert settings not saved/, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /so nothing was changed/, cardsOf(late.sent));
    assert.match(cardsOf(late.sent), /press Save again/, cardsOf(late.sent));
    assert.deepEqual(a.rig.updates, [], 'the settings card is not edited');
    assert.ok(a.rig.logs.some((l) => l.event === 'bot.turn.givenUp'));
    assert.equal(await a.alerts.subscriptions.get(CH_A), null, 'the given-up Save wrote nothing');
    await save(b, 'act-save-cut');
    assert.ok(!b.rig.logs.some((l) => l.event === 'bot.turn.duplicate'), 'the redelivery is not dropped');
    assert.deepEqual((await b.alerts.subscriptions.get(CH_A))?.categories, ['actions']);
  });

  it('a Save by Action.Submit cut while it asks Teams about its sender, the redelivery begun before the answer: the cut Save answers nothing', async () => {
    const { reached, release } = holdRoster();
    const cut = save(a, 'act-save-redelivered');
    await reached;
    assert.equal(await a.turns.giveUp(), 1, 'the mark is given back');
    await save(b, 'act-save-redelivered');
    assert.deepEqual((await b.alerts.subscriptions.get(CH_A))?.categories, ['actions']);
    release();
    const late = await cut;
    assert.deepEqual([...late.sent, ...a.rig.updates], [], 'one answer: the redelivery’s');
  });

  it('not cut: the redelivery is dropped', async () => {
    a.roles.set(a.rig.user(0).id, 'owner');
    const first = await alertsOn(a, 'act-alerts-whole');
    assert.match(cardsOf(first.sent), /on in this channel/);
    assert.equal(await a.turns.giveUp(), 0, 'no turn under way');
    const again = await alertsOn(b, 'act-alerts-whole');
    assert.deepEqual(again.sent, [], 'the redelivery is dropped');
  });
});
