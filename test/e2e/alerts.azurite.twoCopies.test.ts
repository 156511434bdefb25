// The periodic row on Azure Queue Storage (Azurite) when the queue holds two copies of it. Queue
// Storage has no de-duplication (every Put Message adds a message,
// https://learn.microsoft.com/rest/api/storageservices/put-message), and the SDK tries a request
// again after a connection that failed once the service had acted: an enqueue whose answer is lost
// queues the row twice, under one id. Both copies were then the named row, each instance leasing
// one ran the pass, at the same time, and both were given back for every period after: two passes
// at once, for good. Only the first copy the pass sees may run; the other completes itself.

import { strict as assert } from 'node:assert';
import { PERIODIC_LEASE_MS } from '../../src/alerts/periodicTick';
import { createAlerts } from '../../src/notifications/alertsSetup';
import { AzureState } from '../../src/state/azure';
import { CardBindings } from '../../src/state/cardBindings';
import { azuriteSession } from '../fixtures/azuriteSession';
import { eventually } from '../fixtures/deliverySession';
import { LostAnswers, endpointOrigin, lostAnswers, throughRelay } from '../fixtures/lostAnswers';
import { recordingLogger } from '../fixtures/recordingLogger';

describe('the periodic row on Azure Storage (Azurite), queued twice', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  let relay: LostAnswers;
  const states: AzureState[] = [];
  beforeEach(async () => {
    relay = await lostAnswers(endpointOrigin(session.connectionString, 'QueueEndpoint'));
  });
  afterEach(async () => {
    for (const s of states.splice(0)) await s.close();
    await relay.close();
  });

  it('an enqueue whose answer was lost queues the row twice; the two copies never run the pass together', async () => {
    const container = session.freshContainer();
    let running = 0;
    let passes = 0;
    let endPasses!: () => void;
    const ended = new Promise<number>((r) => (endPasses = () => r(0)));
    const sweepExpired = (): Promise<number> => {
      running++;
      passes++;
      return ended.finally(() => running--);
    };
    // Two instances (machines): the first reaches the queue through a network that loses answers.
    const instances = [relay.origin, null].map((origin, i) => {
      const connectionString = origin
        ? throughRelay(session.connectionString, 'QueueEndpoint', origin)
        : session.connectionString;
      const state = new AzureState({ connectionString, container });
      states.push(state);
      const alerts = createAlerts({
        state,
        bindings: new CardBindings(state.records),
        send: async () => 'x',
        logger: recordingLogger().logger,
        owner: `machine-${i}`,
        tenantId: 't',
        servedTenant: null,
        periodic: true,
        sweepExpired,
        // Renewals and checks by hand: none is needed within this test.
        renewEvery: () => () => undefined,
        periodicEvery: () => () => undefined,
      });
      return { state, alerts };
    });
    const [first, second] = instances as [(typeof instances)[0], (typeof instances)[0]];
    await first.state.outbox.size(); // the queue exists before the answers start to be lost
    relay.lose((method, url) => method === 'POST' && /\/messages\?/.test(url));
    await first.alerts.worker.startPeriodic();
    assert.equal(relay.lost.length, 1, 'the enqueue of the row lost its answer');
    assert.equal(await second.state.outbox.size(), 2, 'the SDK put it again: two copies of the row');

    // Each machine leases one copy and works it.
    const rows = [
      await first.state.outbox.lease(PERIODIC_LEASE_MS),
      await second.state.outbox.lease(PERIODIC_LEASE_MS),
    ];
    assert.ok(rows[0] && rows[1] && rows[0].id === rows[1].id, 'two copies of one row id');
    const stop = new AbortController().signal;
    let finished = 0;
    const work = instances.map(({ alerts }, i) => alerts.worker.handle(rows[i]!, stop).finally(() => finished++));
    // Either both passes are under way at once, or one is and the other copy is done with.
    await eventually(() => running === 2 || (running === 1 && finished === 1), 'both copies were looked at');
    assert.equal(running, 1, 'one pass at a time');
    endPasses();
    await Promise.all(work);
    assert.equal(passes, 1);
    assert.equal(await second.state.outbox.size(), 1, 'the second copy is gone; the row waits for its next period');
  });
});
