// A suspended channel is tried again once a day. A 403 from the Bot Connector also comes when the
// bot is blocked or disabled
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis),
// for instance a Teams admin blocking the app for the whole tenant for a while
// (https://learn.microsoft.com/en-us/microsoftteams/manage-apps); when the block is lifted Teams
// sends the bot nothing, so no listing or settings change would ever resume the channel. So a
// suspension lapses for one try 24 h after it began (or after its last try): the next alert for
// the channel is posted there; accepted, the channel resumes; refused, it stays suspended until the
// next try a day later. One instance opens each try (a compare-and-swap on the channel's record),
// however many plan at once. Through the real handler (TestAdapter, simulated tenant, SQLite), on a
// clock the test moves on.

import { strict as assert } from 'node:assert';
import { Clock, systemClock } from '../../src/domain/clock';
import { createAlerts } from '../../src/notifications/alertsSetup';
import { teamsError } from '../fixtures/deliverySession';
import { CH_A, CH_B } from './alertsRig';
import { cardsOf } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';

const HOUR = 3_600_000;
/** How the settings card writes a moment (UTC, to the minute). */
const shown = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

describe('channel alerts: a suspended channel is tried again once a day', () => {
  let offset = 0;
  const clock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
  const session = channelAlertsSession({ clock });
  const { owner, auditLines, install } = session;
  beforeEach(() => {
    offset = 0;
  });

  /** Teams answers `status` for every post in CH_A and posts elsewhere; the tries in CH_A are counted. */
  function refuseInA(status: number): { readonly count: number } {
    const tries = { count: 0 };
    const { a } = session;
    a.sendImpl = async (reference, card) => {
      if (reference.conversation?.id !== CH_A) return a.record(reference, card);
      tries.count++;
      throw teamsError(status);
    };
    return tries;
  }

  const statesOf = async (eventId: string) =>
    Object.fromEntries(((await session.a.alerts.channels(eventId)) ?? []).map((c) => [c.channelId, c.state]));
  const subscribedNow = async () =>
    (await session.a.alerts.subscriptions.channelsFor('roleRequests')).map((c) => c.channelId).sort();
  const sinceOfA = async () => {
    const since = (await session.a.alerts.subscriptions.get(CH_A))?.suspended?.since;
    assert.ok(since !== undefined, 'CH_A is suspended');
    return since;
  };

  /** Both channels subscribed to role requests; Teams refuses CH_A with `status`: suspended. */
  async function suspendA(status: number) {
    const { a } = session;
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    const tries = refuseInA(status);
    await a.announceRoleRequest('ev-1');
    assert.deepEqual(await statesOf('ev-1'), { [CH_A]: 'deadLetter', [CH_B]: 'delivered' });
    assert.equal(auditLines('alerts.subscription.suspended').length, 1);
    return tries;
  }

  it('a channel suspended by a 403 gets the next alert after 24 h, and resumes when Teams accepts it', async () => {
    const { a } = session;
    const tries = await suspendA(403);
    const since = await sinceOfA();

    // Within the day nothing is tried; the settings card says when the next try is.
    offset += 23 * HOUR;
    await a.announceRoleRequest('ev-2');
    assert.equal(tries.count, 1);
    assert.deepEqual(await statesOf('ev-2'), { [CH_B]: 'delivered' });
    const card = cardsOf((await a.say(owner(), CH_A, 'alerts')).sent);
    assert.match(card, /suspended/i);
    assert.ok(card.includes(`next try ${shown(since + 24 * HOUR)} UTC`), 'the card says when the next try is');

    // The block is lifted without a word from Teams; a day after the refusal the next alert is
    // tried there, accepted, and the channel hears its alerts again.
    a.sendImpl = null;
    offset += HOUR;
    await a.announceRoleRequest('ev-3');
    assert.deepEqual(await statesOf('ev-3'), { [CH_A]: 'delivered', [CH_B]: 'delivered' });
    assert.deepEqual(
      auditLines('alerts.subscription.resumed').map((l) => [l.channelId, l.via]),
      [[CH_A, 'retry']],
    );
    assert.deepEqual(await subscribedNow(), [CH_A, CH_B].sort());
    assert.doesNotMatch(cardsOf((await a.say(owner(), CH_A, 'alerts')).sent), /suspended/i);
    await a.announceRoleRequest('ev-4');
    assert.deepEqual(await statesOf('ev-4'), { [CH_A]: 'delivered', [CH_B]: 'delivered' });

    // Resumed, a new refusal is news: it suspends the channel again.
    refuseInA(404);
    await a.announceRoleRequest('ev-5');
    assert.deepEqual(
      auditLines('alerts.subscription.suspended').map((l) => [l.channelId, l.status]),
      [
        [CH_A, 403],
        [CH_A, 404],
      ],
    );
  });

  it('refused again, it stays suspended and is not tried again before another 24 h', async () => {
    const { a } = session;
    const tries = await suspendA(403);
    const since = await sinceOfA();

    offset += 24 * HOUR;
    await a.announceRoleRequest('ev-2');
    assert.equal(tries.count, 2, 'the day-old suspension lets one alert through');
    assert.deepEqual(await statesOf('ev-2'), { [CH_A]: 'deadLetter', [CH_B]: 'delivered' });
    assert.deepEqual(await subscribedNow(), [CH_B], 'still suspended');
    assert.equal(await sinceOfA(), since, 'the same suspension, not a new one');
    assert.equal(auditLines('alerts.subscription.suspended').length, 1);
    assert.deepEqual(auditLines('alerts.subscription.resumed'), []);
    const card = cardsOf((await a.say(owner(), CH_A, 'alerts')).sent);
    assert.match(card, /suspended/i);
    // The next try is a day after this one (planned 24 h after the refusal, give or take the
    // moments this test takes): two days after the refusal.
    assert.ok(card.includes(`next try ${shown(since + 48 * HOUR).slice(0, 10)}`), 'the next try moved on a day');

    offset += 23 * HOUR;
    await a.announceRoleRequest('ev-3');
    assert.equal(tries.count, 2, 'no second try within the day');
    assert.deepEqual(await statesOf('ev-3'), { [CH_B]: 'delivered' });

    a.sendImpl = null;
    offset += HOUR;
    await a.announceRoleRequest('ev-4');
    assert.deepEqual(await statesOf('ev-4'), { [CH_A]: 'delivered', [CH_B]: 'delivered' });
    assert.deepEqual(
      auditLines('alerts.subscription.resumed').map((l) => l.via),
      ['retry'],
    );
  });

  it('two instances planning at once try the channel once', async () => {
    const { a } = session;
    const tries = await suspendA(403);
    // A second instance over the same state, with its own subscriptions and worker.
    const b = createAlerts({
      state: a.rig.state,
      bindings: a.rig.bindings,
      send: (reference, card, signal) =>
        a.sendImpl ? a.sendImpl(reference, card, signal) : Promise.resolve(a.record(reference, card)),
      logger: a.rig.logger,
      owner: 'instance-2',
      tenantId: a.rig.seed.tenantId,
      marginMs: 0,
      now: () => clock.now(),
    });

    offset += 24 * HOUR;
    // Two alerts queued together; each instance plans one of them at the same time.
    const publish = async (alerts: typeof b, eventId: string) => {
      await alerts.store.publish({
        eventId,
        category: 'roleRequests',
        card: { attachment: { contentType: 'application/vnd.microsoft.card.adaptive' }, summary: eventId },
      });
    };
    await publish(a.alerts, 'ev-2');
    await publish(b, 'ev-3');
    const outbox = a.rig.state.outbox;
    const first = await outbox.lease(30_000);
    const second = await outbox.lease(30_000);
    assert.ok(first && second);
    const stop = new AbortController().signal;
    await Promise.all([a.alerts.worker.handle(first, stop), b.worker.handle(second, stop)]);
    await a.drain();

    assert.equal(tries.count, 2, 'one try between them');
    const plans = [await statesOf('ev-2'), await statesOf('ev-3')];
    assert.equal(plans.filter((p) => CH_A in p).length, 1, 'one of the two alerts is the try');
    assert.deepEqual(
      plans.map((p) => p[CH_B]),
      ['delivered', 'delivered'],
    );
    assert.deepEqual(await subscribedNow(), [CH_B]);
  });
});
