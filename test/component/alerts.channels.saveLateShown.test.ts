// Save pressed on the "Alert settings not saved" card, which a Save not checked in time leaves with
// the person's choices for the next press: that press changes what the first would have, and no
// setting the card did not know. A Save from a card posted before cards carried what they showed,
// and without some category's toggle, whose store failed too, left a card showing every toggle it
// had not carried as off; carrying every toggle, its Save turned them all off.

import { strict as assert } from 'node:assert';
import { channelKey } from '../../src/alerts/subscriptionRecords';
import { StateUnavailableError } from '../../src/state/port';
import { AlertsRig, CH_A } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';
import { FakeClock } from './fakeClock';
import { pressedSave, sentCards, settingsCardIn, togglesOf } from './settingsPress';

const CARD = 'settings-card-1';
/** A card posted before cards carried what they showed, and before "approvals" and the digest
 * were on cards: every other category's toggle, and no shown values. */
const OLD_CARD = {
  kind: 'alerts.settings',
  roleRequests: 'true',
  groupRequests: 'false',
  accessPackageRequests: 'false',
  workflowRuns: 'false',
  taskCallouts: 'false',
  actions: 'false',
};

describe('Save pressed on the "not saved" card of a Save not checked in time', () => {
  const clock = new FakeClock();
  let failing = false;
  const session = channelAlertsSession({
    clock,
    alertRecords: (records) => ({
      ...records,
      get: (k) =>
        failing && k === channelKey(CH_A)
          ? Promise.reject(new StateUnavailableError('state store: read failed (SQLITE_IOERR)'))
          : records.get(k),
    }),
  });
  const { owner, install } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
    failing = false;
  });

  /** The Save of `data`, its permission check never answering: the "not saved" card it leaves. */
  async function notSavedCard(data: Record<string, unknown>) {
    a.memberImpl = () => new Promise(() => undefined);
    const { value: late } = await clock.drive(a.rig.turn(a.saveClick(owner(), CH_A, CARD, data)), 100, 30_000);
    a.memberImpl = null;
    assert.match(JSON.stringify(late.invoke?.body), /Alert settings not saved/);
    return settingsCardIn(late.invoke?.body);
  }

  it('an older card’s Save, its store failing too: the settings it did not carry stay as stored', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on approvals');
    await a.rig.turn(a.saveClick(owner(), CH_A, CARD, { approvals: 'true', digest: 'true' }));

    failing = true;
    const card = await notSavedCard(OLD_CARD);
    failing = false;
    assert.equal(togglesOf(card).roleRequests, 'true', "the person's choice is kept for the next press");
    assert.notEqual(togglesOf(card).approvals, 'false', 'approvals, stored on, is not shown off');
    assert.match(
      JSON.stringify(card),
      /The settings not shown here could not be read, and a Save leaves them as they are\./,
    );

    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(card)));
    assert.equal(saved.invoke?.status, 200);
    const stored = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(stored?.categories, ['roleRequests', 'approvals'], 'approvals stays on');
    assert.equal(stored?.digest, true, 'the digest stays on');
    assert.doesNotMatch(JSON.stringify(saved.invoke?.body), /turned off/);
  });

  it('a current card’s Save: pressed again, it changes what its presser switched, not what another Save did meanwhile', async () => {
    await install();
    const shown = settingsCardIn(sentCards((await a.say(owner(), CH_A, 'alerts')).sent));
    failing = true;
    const card = await notSavedCard(pressedSave(shown, { roleRequests: true }));
    failing = false;
    assert.equal(togglesOf(card).roleRequests, 'true', "the person's choice is kept for the next press");
    assert.equal(Object.keys(togglesOf(card)).length, Object.keys(togglesOf(shown)).length, 'every toggle, as carried');
    assert.doesNotMatch(JSON.stringify(card), /not shown here/);
    await a.say(owner(), CH_A, 'alerts on actions');

    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, pressedSave(card)));
    assert.equal(saved.invoke?.status, 200);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['roleRequests', 'actions']);
    assert.match(JSON.stringify(saved.invoke?.body), /turned on PIM role requests\./);
  });
});
