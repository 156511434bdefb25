// A channel that turns a category (or the daily digest) off hears nothing more of it from that
// moment, including the alerts already queued for it: waiting their turn under Teams' rate limits,
// or to be tried again after a 429. Each delivery reads the channel's settings just before its post;
// one the channel no longer subscribes to is not posted, dead-lettered saying why (GET reports it),
// its row completed and logged once as alerts.delivery.unsubscribed, and the channel is neither
// suspended nor refused anything later. A channel that turned the category off and on again before
// the post subscribes at that moment, and gets it. Through the real handler (TestAdapter, SQLite, a
// clock the test moves).

import { strict as assert } from 'node:assert';
import { FANOUT_ROW } from '../../src/alerts/alertStore';
import { Clock, systemClock } from '../../src/domain/clock';
import { parseEvent } from '../../src/notifications/events';
import { AlertsRig, CH_A, CH_B, TEAM, cardToggles } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';

const CARD = 'settings-card-1';
const card = { attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} }, summary: 's' };

describe('channel alerts: a category turned off after its alert was queued', () => {
  /** Real time moved on by `later`: the store, the outbox and the alert worker read it. */
  let later = 0;
  const clock: Clock = { now: () => Date.now() + later, sleep: systemClock.sleep };
  const session = channelAlertsSession({ clock, now: () => clock.now() });
  const { owner, install } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
    later = 0;
  });

  /** Works the fan-out row only: the alert's deliveries are queued, none sent yet. */
  async function fanOutOnly(): Promise<void> {
    const row = await a.rig.state.outbox.lease(30_000);
    assert.ok(row && row.payload.eventId.startsWith(FANOUT_ROW), 'the fan-out row comes first');
    await a.alerts.worker.handle(row, new AbortController().signal);
  }

  /** A PIM role request announced to role requests, fanned out but not yet posted. */
  async function queueRoleRequest(eventId: string): Promise<void> {
    const parsed = parseEvent({
      eventId,
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: a.rig.seed.examples.roleRequestId,
      principalName: 'Adele Vance',
      roleName: 'Global Reader',
    });
    assert.ok(parsed.ok);
    await a.alerts.categoryEvents.publish(parsed.event, card);
    await fanOutOnly();
  }

  const dropLines = () => a.rig.logs.filter((l) => l.event === 'alerts.delivery.unsubscribed');
  const stateIn = async (eventId: string, channelId: string) =>
    ((await a.alerts.channels(eventId)) ?? []).find((c) => c.channelId === channelId);

  it('`alerts off` after the fan-out: not posted there, logged once, the channel not suspended', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.say(owner(), CH_B, 'alerts on role-requests');
    await queueRoleRequest('ev-off');

    await a.say(owner(), CH_A, 'alerts off role-requests');
    await a.drain();
    assert.equal(a.postsIn(CH_A).length, 0, 'not posted in the channel that turned it off');
    assert.equal(a.postsIn(CH_B).length, 1, 'posted in the channel still subscribed');
    const dropped = await stateIn('ev-off', CH_A);
    assert.equal(dropped?.state, 'deadLetter');
    assert.equal(dropped?.reason, 'This channel turned off PIM role requests before the alert was posted here.');
    assert.deepEqual(
      dropLines().map((l) => [l.deliveryId, l.channelId, l.category]),
      [[`ev-off:${CH_A}`, CH_A, 'roleRequests']],
    );
    assert.equal(await a.rig.state.outbox.lease(30_000), null, 'its row completed, not retried');
    assert.equal((await a.alerts.subscriptions.get(CH_A))?.suspended, undefined, 'not suspended');
    assert.equal(a.rig.logs.filter((l) => l.event === 'alerts.subscription.suspended').length, 0);

    // Turned on again: the next alert is posted there.
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await queueRoleRequest('ev-next');
    await a.drain();
    assert.equal(a.postsIn(CH_A).length, 1);
  });

  it('a delivery retried after a 429 is not posted once the Save turned the category off', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    let tries = 0;
    a.sendImpl = async (reference, sent) => {
      if (tries++ > 0) return a.record(reference, sent);
      throw Object.assign(new Error('Too many requests'), {
        statusCode: 429,
        response: { headers: { 'retry-after': '3' } },
      });
    };
    await queueRoleRequest('ev-429');
    await a.drain();
    assert.equal(tries, 1, 'throttled once, waiting for its Retry-After');
    assert.equal((await stateIn('ev-429', CH_A))?.state, 'queued');

    const saved = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, cardToggles([])));
    assert.equal(saved.invoke?.status, 200);
    later += 5_000;
    await a.drain();
    assert.equal(tries, 1, 'not sent again');
    assert.equal(a.postsIn(CH_A).length, 0);
    assert.equal((await stateIn('ev-429', CH_A))?.state, 'deadLetter');
    assert.equal(dropLines().length, 1);
  });

  it('turned off and on again before its post: the channel subscribes then, and gets it', async () => {
    await install();
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await queueRoleRequest('ev-back');
    await a.say(owner(), CH_A, 'alerts off role-requests');
    await a.say(owner(), CH_A, 'alerts on role-requests');
    await a.drain();
    assert.equal(a.postsIn(CH_A).length, 1);
    assert.equal((await stateIn('ev-back', CH_A))?.state, 'delivered');
    assert.equal(dropLines().length, 0);
  });

  it('a digest queued for a channel whose Save then turns the digest off is not posted', async () => {
    await install();
    const on = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, cardToggles(['roleRequests', 'digest'])));
    assert.equal(on.invoke?.status, 200);
    // As the periodic pass publishes a channel's digest (periodic.ts).
    const eventId = `digest:2026-01-04:${CH_A}`;
    await a.alerts.store.publish({ eventId, category: 'digest', card, channels: [{ teamId: TEAM, channelId: CH_A }] });
    await fanOutOnly();

    const off = await a.rig.turn(a.saveClick(owner(), CH_A, CARD, cardToggles(['roleRequests'])));
    assert.equal(off.invoke?.status, 200);
    await a.drain();
    assert.equal(a.postsIn(CH_A).length, 0);
    const dropped = await stateIn(eventId, CH_A);
    assert.equal(dropped?.state, 'deadLetter');
    assert.equal(dropped?.reason, 'This channel turned off the daily digest before it was posted here.');
    assert.deepEqual(
      dropLines().map((l) => l.category),
      ['digest'],
    );
  });
});
