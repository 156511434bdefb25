// `alerts on` and `alerts off` of one category at once on two machines sharing Azure Blob Storage
// (Azurite): the off takes the channel out of the category's index only when the channel's record,
// read after the index, does not follow it, and writes the index only at the ETag it read
// (If-Match,
// https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations),
// so an on that ran whole meanwhile keeps its entry (component/alerts.subscriptions.onOffRace.test.ts
// on SQLite says why).

import { strict as assert } from 'node:assert';
import { AzureState } from '../../src/state/azure';
import { azuriteSession } from '../fixtures/azuriteSession';
import { RACED, onDuringOff } from '../fixtures/onOffRace';

describe('alerts: on and off of one category at once on two machines (Azurite)', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  for (const op of ['get', 'replace'] as const) {
    it(`an on that runs whole while the off is held at its index ${op} stays in the index`, async () => {
      const container = session.freshContainer();
      const machine = () => new AzureState({ connectionString: session.connectionString, container });
      const after = await onDuringOff(machine().records, machine().records, op);
      assert.deepEqual(after.categories, ['roleRequests']);
      assert.deepEqual(after.indexed, [RACED.channelId]);
      assert.deepEqual(after.heard, [RACED.channelId]);
    });
  }
});
