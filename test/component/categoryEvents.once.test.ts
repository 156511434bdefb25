// An event sent to a category is announced once: once published (its alert stored and its fan-out
// queued), the same event posted again, or a second outbox row of it, publishes nothing, so the
// daily digest counts it once and a request settled meanwhile does not join the waiting list (and
// the reminders) again. SQLite state; the event's own record keeps a state from the documented
// list, and GET answers from its channels.

import { strict as assert } from 'node:assert';
import { itemCard } from '../../src/bot/replyCards';
import { dayOf } from '../../src/alerts/digest';
import { waitingKeyOf } from '../../src/alerts/waitingKey';
import { createLogger } from '../../src/log';
import { Alerts, createAlerts } from '../../src/notifications/alertsSetup';
import { parseEvent } from '../../src/notifications/events';
import { CardBindings } from '../../src/state/cardBindings';
import { connector, deliverySession, eventually, REQUEST } from '../fixtures/deliverySession';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:ops@thread.tacv2';

function categoryEvent(eventId: string) {
  const parsed = parseEvent({
    eventId,
    kind: 'roleRequest',
    target: { category: 'roleRequests' },
    requestId: REQUEST,
    principalName: 'Megan Bowen',
    roleName: 'Global Administrator',
  });
  assert.ok(parsed.ok);
  return parsed.event;
}

describe('notification delivery: an event sent to a category', () => {
  const session = deliverySession();
  const { instance } = session;

  it('is published once: posted again, or a second row of it, publishes nothing', async () => {
    const published: string[] = [];
    const alerts = {
      rows: { owns: () => false, handle: async () => undefined, setAside: async () => undefined },
      publish: async (event: { eventId: string }) => void published.push(event.eventId),
    };
    const { store, state, worker } = await instance(connector().send, { alerts });
    assert.equal(await store.accept(categoryEvent('ev-cat')), 'created');
    worker.start();
    await eventually(async () => (await state.outbox.size()) === 0, 'published');
    assert.deepEqual(published, ['ev-cat']);
    const record = await store.get('ev-cat');
    assert.equal(record?.state, 'queued', 'a state of the documented list; GET answers from the channels');
    // The caller never saw the 202 and sends it again: no row is queued for it.
    assert.equal(await store.accept(categoryEvent('ev-cat')), 'duplicate');
    assert.equal(await state.outbox.size(), 0);
    // A row of it that exists anyway (a second message on Azure) completes without publishing.
    await state.outbox.enqueue('ev-cat', { eventId: 'ev-cat' });
    worker.kick();
    await eventually(async () => (await state.outbox.size()) === 0, 'the second row done');
    assert.deepEqual(published, ['ev-cat'], 'published once');
  });

  it('sent again after it was delivered, is not counted again nor put back on the waiting list', async () => {
    const clock = () => Date.now() + session.offset;
    const posted: string[] = [];
    let wired: Alerts | undefined;
    const { store, state, worker } = await instance(connector().send, (s) => {
      const channelAlerts = createAlerts({
        state: { records: s.records, outbox: s.outbox },
        bindings: new CardBindings(s.records),
        send: async () => `a${posted.push('card')}`,
        logger: createLogger({ level: 'silent' }),
        owner: 'instance-1',
        tenantId: 'tenant-1',
        servedTenant: null,
        now: clock,
        marginMs: 0,
        periodic: true,
      });
      wired = channelAlerts;
      return {
        render: (event) => itemCard(event.item, { text: event.text, settled: false }),
        alerts: channelAlerts.workerHook,
        channelReference: channelAlerts.channelReference,
      };
    });
    const alerts = wired!;
    await alerts.subscriptions.setTeamChannels(TEAM, [{ id: CHANNEL, name: 'Ops' }]);
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 'tenant-1' },
    });
    await alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNEL }, 'roleRequests', true, {
      userId: 'owner',
      correlationId: 'c',
    });
    const event = categoryEvent('pim-95c690fb-ops');
    const acceptedAt = clock();
    await store.accept(event);
    worker.start();
    await eventually(async () => (await alerts.channels(event.eventId))?.[0]?.state === 'delivered', 'delivery');
    await eventually(async () => (await state.outbox.size()) === 0, 'outbox empty');
    // Someone cancels the request through the bot: it no longer waits.
    await alerts.actions.publish({
      actionId: 'corr-1',
      operation: 'cancelRoleRequest',
      ids: { requestId: REQUEST },
      actor: { name: 'Megan Bowen', id: 'aad-megan' },
      outcome: 'succeeded',
      errorCode: null,
      graphRequestId: 'g1',
      at: clock(),
      via: 'card',
    });
    const key = waitingKeyOf({ operation: 'cancelRoleRequest', ids: { requestId: REQUEST } });
    assert.ok(!(await alerts.digest.read(dayOf(clock()))).waiting.some((w) => w.key === key), 'settled');

    // An hour later the sender's retry policy sends the same event again.
    session.offset += 3_600_000;
    assert.equal(await store.accept(event), 'duplicate');
    worker.kick();
    await eventually(async () => (await state.outbox.size()) === 0, 'outbox empty again');

    let announced = 0;
    for (const d of new Set([dayOf(acceptedAt), dayOf(clock())])) {
      announced += (await alerts.digest.read(d)).day.counts.roleRequests?.announced ?? 0;
    }
    const { waiting } = await alerts.digest.read(dayOf(clock()));
    session.offset += 21 * 3_600_000;
    const reminded = await alerts.periodic!.remind();
    assert.deepEqual(
      { announced, waitingAgain: waiting.some((w) => w.key === key), reminded, posted: posted.length },
      { announced: 1, waitingAgain: false, reminded: 0, posted: 1 },
      'counted once; the cancelled request is not waiting again, not reminded, not posted again',
    );
  });
});
