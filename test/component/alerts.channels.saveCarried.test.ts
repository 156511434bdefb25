// A settings card's Save changes only the settings whose toggles it carries. Teams sends each
// Input.Toggle's value, valueOn or valueOff, with the button's data
// (https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/input-toggle), so a toggle a Save
// does not carry was not on its card: a card shown before a newer category existed has no toggle for
// it, and its Save took that category as off, turning it off unasked. A missing toggle now keeps the
// stored value. Two Saves at once carrying different toggles both land: each applies its own toggles
// to the record as it reads it inside the store's compare-and-swap, never the whole card it started from.

import { strict as assert } from 'node:assert';
import { channelKey } from '../../src/alerts/subscriptionRecords';
import { Records, StateUnavailableError } from '../../src/state/port';
import { holdOnce } from '../fixtures/heldRecords';
import { AlertsRig, CH_A } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';
import { FakeClock } from './fakeClock';

const CARD = 'settings-card-1';
/** A card made before "approvals" and the digest were on cards: every other category's toggle. */
const OLD_CARD = {
  roleRequests: 'true',
  groupRequests: 'false',
  accessPackageRequests: 'false',
  workflowRuns: 'false',
  taskCallouts: 'false',
  actions: 'false',
};

/** The records the channel alerts use, whose first write of CH_A's settings is held once armed. */
let inner: Records | null = null;
let held: ReturnType<typeof holdOnce> | null = null;
function holdWhenArmed(records: Records): Records {
  inner = records;
  const now = () => held?.records ?? records;
  return {
    get: (k) => now().get(k),
    create: (k, v, e) => now().create(k, v, e),
    replace: (k, v, ver, e) => now().replace(k, v, ver, e),
    put: (k, v, e) => now().put(k, v, e),
    delete: (k, ver) => now().delete(k, ver),
  };
}

describe('a settings Save changes only the toggles it carries', () => {
  const session = channelAlertsSession({ alertRecords: holdWhenArmed });
  const { owner, install } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
    held = null;
  });

  it('an older card without a category’s toggle leaves that category (and the digest) as stored', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on approvals');
    const digestOn = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, { approvals: 'true', digest: 'true' }));
    assert.equal(digestOn.invoke?.status, 200);

    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, OLD_CARD));
    assert.equal(saved.invoke?.status, 200);
    const stored = await a.alerts.subscriptions.get(CH_A);
    assert.deepEqual(stored?.categories, ['roleRequests', 'approvals'], 'approvals stays on');
    assert.equal(stored?.digest, true, 'the digest stays on');
    const answer = JSON.stringify(saved.invoke?.body);
    assert.match(answer, /saved the alert settings of #Ops A: turned on PIM role requests\./);
    assert.doesNotMatch(answer, /turned off/);
  });

  it('two Saves at once of different toggles both land', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on approvals');

    // The first Save read the record and is held at its write until the second has written.
    held = holdOnce(inner!, 'replace', channelKey(CH_A));
    const first = a.rig.turn(a.saveClick(owner(), CH_A, CARD, { roleRequests: 'true' }));
    await held.reached;
    const second = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, { actions: 'true' }));
    assert.equal(second.invoke?.status, 200);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['approvals', 'actions']);
    held.release();
    assert.equal((await first).invoke?.status, 200);

    assert.deepEqual(
      (await a.alerts.subscriptions.get(CH_A))?.categories,
      ['roleRequests', 'approvals', 'actions'],
      'neither Save undid the other',
    );
    for (const category of ['roleRequests', 'approvals', 'actions'] as const)
      assert.deepEqual(
        (await a.alerts.subscriptions.channelsFor(category)).map((c) => c.channelId),
        [CH_A],
        `${category} alerts reach the channel`,
      );
  });
});

describe('a settings Save not checked in time shows the stored settings where it carried no toggle', () => {
  const clock = new FakeClock();
  const session = channelAlertsSession({ clock });
  const { owner, install } = session;

  // Its card is the one the person presses Save on again: a toggle shown off there would be saved off.
  it('the "not saved" card shows a category its Save did not carry as stored', async () => {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on approvals');
    a.memberImpl = () => new Promise(() => undefined);
    const { value: late } = await clock.drive(a.rig.turn(a.saveClick(owner(), CH_A, CARD, OLD_CARD)), 100, 30_000);
    const body = late.invoke?.body as { value?: { body?: Array<{ type?: string; id?: string; value?: string }> } };
    assert.match(JSON.stringify(body?.value), /Alert settings not saved/);
    const shown = Object.fromEntries(
      (body?.value?.body ?? []).filter((e) => e.type === 'Input.Toggle').map((e) => [e.id, e.value]),
    );
    assert.equal(shown.roleRequests, 'true', "the person's choice is kept for the next press");
    assert.equal(shown.approvals, 'true', 'approvals shows as stored, on');
    assert.equal(shown.digest, 'false');
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['approvals'], 'nothing was saved');
  });
});

// The "not saved" answer comes once the click's budget is spent: it must not then wait on the
// store, nor fail with it. The stored settings it shows are read while the permission is checked;
// a store that fails or hangs then leaves the toggles the Save carried, and the answer still comes.
describe('a settings Save not checked in time, its store failing or hanging', () => {
  const clock = new FakeClock();
  let failing: 'fail' | 'hang' | null = null;
  const session = channelAlertsSession({
    clock,
    alertRecords: (records) => ({
      ...records,
      get: (k) =>
        failing === null || k !== channelKey(CH_A)
          ? records.get(k)
          : failing === 'fail'
            ? Promise.reject(new StateUnavailableError('state store: read failed (SQLITE_IOERR)'))
            : new Promise(() => undefined),
    }),
  });
  const { owner, install } = session;
  afterEach(() => (failing = null));

  for (const how of ['fail', 'hang'] as const) {
    it(`the store's read ${how === 'fail' ? 'failing' : 'never answering'}: still "Alert settings not saved", with the carried toggles`, async () => {
      const { a } = session;
      await install();
      await a.say(owner(), CH_A, 'alerts on approvals');
      a.memberImpl = () => new Promise(() => undefined);
      failing = how;
      const { value: late } = await clock.drive(a.rig.turn(a.saveClick(owner(), CH_A, CARD, OLD_CARD)), 100, 30_000);
      const body = late.invoke?.body as { value?: { body?: Array<{ type?: string; id?: string; value?: string }> } };
      assert.equal(late.invoke?.status, 200, JSON.stringify(late.invoke?.body).slice(0, 400));
      assert.match(JSON.stringify(body?.value), /Alert settings not saved/);
      const shown = Object.fromEntries(
        (body?.value?.body ?? []).filter((e) => e.type === 'Input.Toggle').map((e) => [e.id, e.value]),
      );
      assert.equal(shown.roleRequests, 'true', "the person's choice is kept for the next press");
      failing = null;
      assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['approvals'], 'nothing was saved');
    });
  }
});
