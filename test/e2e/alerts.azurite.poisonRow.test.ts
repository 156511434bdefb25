// A channel alert's send row whose handling throws on every pass, on the Azure Storage state store
// (Queue Storage outbox) against Azurite: the lease count is the message's dequeueCount, which
// Queue Storage returns with each message
// (https://learn.microsoft.com/en-us/rest/api/storageservices/get-messages), so the channel's
// delivery is dead-lettered on the message's maxRowLeases-th dequeue, as the fan-out records a
// channel it gives up on, and the message deleted. Before, it came back after every visibility
// timeout, for ever.

import { strict as assert } from 'node:assert';
import { createAlerts } from '../../src/notifications/alertsSetup';
import { fanoutState } from '../../src/notifications/fanoutStatus';
import { NotificationStore } from '../../src/notifications/store';
import { CardBindings } from '../../src/state/cardBindings';
import { Records } from '../../src/state/port';
import { azuritePoisonRowSession, poisonEvent, until } from '../fixtures/azuritePoisonRow';
import { recordingLogger } from '../fixtures/recordingLogger';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:poison@thread.tacv2';

describe('channel alerts: a send row that fails on every pass, on Azure Storage (Azurite)', function () {
  this.timeout(60_000);
  const session = azuritePoisonRowSession();

  it("dead-letters the channel's delivery on the message's third dequeue and deletes the message", async () => {
    const state = session.state();
    const store = new NotificationStore(state);
    const log = recordingLogger();
    // The channel's record fails to read (an unexpected fault) once its delivery is queued: the
    // fan-out reads it too.
    let armed = false;
    let lookups = 0;
    const plain = state.records;
    const records: Records = new Proxy(plain, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop);
        if (typeof value !== 'function') return value;
        if (prop !== 'get') return value.bind(t);
        return (key: string) => {
          if (armed && key === `alerts:channel:${CHANNEL}`) {
            lookups++;
            return Promise.reject(new TypeError('unexpected'));
          }
          return plain.get(key);
        };
      },
    });
    const outbox = state.outbox;
    const alerts = createAlerts({
      state: {
        records,
        outbox: new Proxy(outbox, {
          get(t, prop) {
            const value: unknown = Reflect.get(t, prop);
            if (typeof value !== 'function') return value;
            if (prop !== 'enqueue') return value.bind(t);
            return async (id: string, payload: { eventId: string }) => {
              await outbox.enqueue(id, payload);
              if (id.endsWith(`:${CHANNEL}`)) armed = true;
            };
          },
        }),
      },
      bindings: new CardBindings(state.records),
      send: async () => assert.fail('nothing is posted'),
      logger: log.logger,
      owner: 'i1',
      tenantId: 't',
      servedTenant: null,
      marginMs: 0,
    });
    await alerts.subscriptions.setTeamChannels(TEAM, [{ id: CHANNEL, name: 'Poison' }]);
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 't' },
    });
    await alerts.subscriptions.setCategory({ teamId: TEAM, channelId: CHANNEL }, 'roleRequests', true, {
      userId: 'o',
      correlationId: 'c',
    });
    const worker = session.worker(state, store, log.logger, { alerts: alerts.workerHook });
    await store.accept(poisonEvent({ category: 'roleRequests' }));
    worker.start();
    const deadline = Date.now() + 30_000;
    await until(
      async () => (await alerts.ledger.get(`poison:${CHANNEL}`))?.state === 'deadLetter',
      'the delivery to be dead-lettered',
      deadline,
    );
    const channels = await alerts.channels('poison', await store.get('poison'));
    assert.ok(channels);
    assert.equal(fanoutState(channels), 'undeliverable');
    assert.match(channels[0]?.reason ?? '', /failed while posting this alert here, 3 times/);
    assert.equal(lookups, 3);
    await until(async () => (await state.outbox.size()) === 0, 'the message to be deleted', deadline);
    assert.deepEqual(
      log.lines.filter((l) => l.event === 'alerts.deadLetter').map((l) => [l.level, l.eventId, l.channelId, l.leases]),
      [['error', 'poison', CHANNEL, 3]],
    );
  });
});
