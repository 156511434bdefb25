// Channel alerts on the Azure Storage state store (records on Blob Storage, the outbox on Queue
// Storage) against Azurite on loopback. Queue Storage keeps every message put, also one whose id
// the caller used before (https://learn.microsoft.com/rest/api/storageservices/put-message), so
// what keeps the periodic row single is the tick record, never the queue.

import { strict as assert } from 'node:assert';
import { createAlerts } from '../../src/notifications/alertsSetup';
import { AzureState } from '../../src/state/azure';
import { CardBindings } from '../../src/state/cardBindings';
import { azuriteSession } from '../fixtures/azuriteSession';
import { recordingLogger } from '../fixtures/recordingLogger';

describe('channel alerts on Azure Storage (Azurite)', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  it('restarting instances leaves one periodic row in the outbox, and one pass runs', async () => {
    const container = session.freshContainer();
    let passes = 0;
    const states: AzureState[] = [];
    const boots = [0, 1, 2].map((boot) => {
      const state = new AzureState({ connectionString: session.connectionString, container });
      states.push(state);
      return createAlerts({
        state,
        bindings: new CardBindings(state.records),
        send: async () => 'x',
        logger: recordingLogger().logger,
        owner: `boot-${boot}`,
        tenantId: 't',
        servedTenant: null,
        periodic: true,
        sweepExpired: async () => {
          passes++;
          return 0;
        },
      });
    });
    for (const alerts of boots) await alerts.worker.startPeriodic(); // what app.ts does on every start
    const state = new AzureState({ connectionString: session.connectionString, container });
    assert.equal(await state.outbox.size(), 1, 'one periodic row, however many boots');
    const stop = new AbortController().signal;
    let n = 0;
    for (let row = await state.outbox.lease(30_000); row; row = await state.outbox.lease(30_000)) {
      await boots[n++ % boots.length]!.worker.handle(row, stop);
    }
    assert.equal(passes, 1, 'the pass ran once');
    assert.equal(await state.outbox.size(), 1, 'the row waits for the next period');
    for (const s of [...states, state]) await s.close();
  });
});
