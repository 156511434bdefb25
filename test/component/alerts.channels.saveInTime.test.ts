// The settings card's Save (Action.Execute, invoke adaptiveCard/action) answers in time. Teams gives
// an invoke about 5 s before its client retries
// (https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit)
// and Azure Bot Service gives up on a bot after 10 to 15 s
// (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance), so:
// the edit everyone sees (updateActivity) comes after the answer, and a permission check that
// outlasts the click budget saves nothing and says so in a card (HTTP 200, statusCode 200:
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Activity } from 'botbuilder';
import { AlertsRig, CH_A } from './alertsRig';
import { Rig, User, cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { FakeClock, settle } from './fakeClock';
import { holdUpdates } from './heldUpdates';

const CARD = 'settings-card-1';

/** The Save of the settings card posted as CARD in CH_A, as Teams sends it. */
function saveClick(a: AlertsRig, user: User, data: Record<string, unknown>): Partial<Activity> {
  return a.saveClick(user, CH_A, CARD, data);
}

interface CardBody {
  readonly statusCode?: number;
  readonly type?: string;
  readonly value?: { body?: Array<{ type?: string; id?: string; value?: string }> };
}

/** The toggles of the card an invoke answered with, id to value. */
function toggles(body: CardBody | undefined): Record<string, string | undefined> {
  const inputs = (body?.value?.body ?? []).filter((e) => e.type === 'Input.Toggle');
  return Object.fromEntries(inputs.map((e) => [e.id ?? '', e.value]));
}

describe('the settings Save answers in time: the edit for everyone after the answer', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;

  it('is answered with the saved card while the edit for everyone hangs, and the edit lands after', async () => {
    const { a } = session;
    await install();
    const hold = holdUpdates(a.rig);

    // Before the change the turn waited for the edit, so this never answered (the test timed out).
    const saved = await a.rig.turn(saveClick(a, owner(), { roleRequests: 'true' }));
    assert.equal(saved.invoke?.status, 200);
    const body = saved.invoke?.body as CardBody | undefined;
    assert.equal(body?.statusCode, 200);
    assert.equal(body?.type, 'application/vnd.microsoft.card.adaptive');
    assert.equal(toggles(body).roleRequests, 'true', 'the saver sees the card as now saved');
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['roleRequests']);
    assert.equal(a.rig.updates.filter((u) => u.id === CARD).length, 0, 'the edit is still held');

    await hold.reached;
    hold.release();
    await a.rig.bot.idle();
    const edits = a.rig.updates.filter((u) => u.id === CARD);
    assert.equal(edits.length, 1, 'everyone sees the saved card once the edit goes through');
    assert.match(String(edits[0]?.summary), /^Alert settings saved for #Ops A/);
    assert.match(cardsOf(edits), /alerts\.save/);
  });

  it('an edit for everyone that Teams refuses after the answer is logged', async () => {
    const { a } = session;
    await install();
    a.rig.failUpdates = true;
    const saved = await a.rig.turn(saveClick(a, owner(), { actions: 'true' }));
    assert.equal((saved.invoke?.body as CardBody | undefined)?.statusCode, 200);
    await a.rig.bot.idle();
    const stale = a.rig.logs.filter((l) => l.event === 'alerts.settings.card.stale');
    assert.equal(stale.length, 1, 'the saved card not shown to everyone is logged');
    assert.equal(stale[0]?.channelId, CH_A);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['actions'], 'the save itself stands');
  });
});

describe('the settings Save answers in time: the permission budget', () => {
  let dir: string;
  let clock: FakeClock;
  let a: AlertsRig;

  beforeEach(() => {
    dir = Rig.dir();
    clock = new FakeClock();
    a = new AlertsRig(dir, { clock });
  });
  afterEach(async () => {
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a Save whose roster lookup outlasts the budget saves nothing and asks to press Save again', async () => {
    const owner = a.rig.user(0);
    a.roles.set(owner.id, 'owner');
    await a.teamEvent(owner, 'added');
    let answerRoster: (member: { userRole?: string } | null) => void = () => undefined;
    const asked = new Promise<void>((r) => {
      a.memberImpl = () => {
        r();
        return new Promise((answer) => (answerRoster = answer));
      };
    });

    // Time moves only while the Save waits; before the change it waited for the roster for ever.
    const { value: saved } = await clock.drive(
      a.rig.turn(saveClick(a, owner, { roleRequests: 'true', digest: 'true' })),
      100,
      30_000,
    );
    assert.equal(saved.invoke?.status, 200);
    const body = saved.invoke?.body as CardBody | undefined;
    assert.equal(body?.statusCode, 200, 'an honest card, never a 5xx');
    assert.equal(body?.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(body?.value), /Alert settings not saved/);
    assert.match(JSON.stringify(body?.value), /nothing was saved/);
    assert.match(JSON.stringify(body?.value), /press Save again/);
    assert.match(JSON.stringify(body?.value), /alerts\.save/, 'the Save button is still there');
    assert.equal(toggles(body).roleRequests, 'true', "the person's choices are kept for the next press");
    assert.equal(toggles(body).digest, 'true');
    assert.equal(await a.alerts.subscriptions.get(CH_A), null, 'nothing was saved');

    // The roster answers after all: still nothing is written.
    await asked;
    answerRoster({ userRole: 'owner' });
    await settle();
    assert.equal(await a.alerts.subscriptions.get(CH_A), null);
    assert.equal(a.rig.logs.filter((l) => l.event === 'alerts.subscription').length, 0);
    const late = a.rig.logs.filter((l) => l.event === 'alerts.save.late');
    assert.equal(late.length, 1);
    // Like every other line, the late Save's line has a correlation id of its own.
    assert.match(String(late[0]?.correlationId), /^[0-9a-f-]{36}$/);
    assert.equal(a.rig.updates.length, 0, 'the card everyone sees is unchanged');
  });
});
