// A card's binding on Azure Blob Storage keeps what the card said its item was (CardAbout) as the
// JSON record it is: written at the first binding, kept when the delivery row binds the card
// again, and absent from a record an earlier release wrote, which reads as a binding without it.
// Against Azurite on loopback, as state.azurite.test.ts.

import { strict as assert } from 'node:assert';
import { AzureState } from '../../src/state/azure';
import { CardBindings } from '../../src/state/cardBindings';
import { azuriteSession } from '../fixtures/azuriteSession';

const ITEM = { operation: 'cancelRoleRequest', ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f328' } };
const ABOUT = {
  title: 'Role activation',
  line: 'Adele Vance requested Global Administrator for 8 hours.',
  facts: [{ title: 'Subject', value: 'Adele Vance' }],
};

describe('Azure Storage state store on Azurite: a card binding keeps what the card was about', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  it('round-trips it, keeps the first, and reads an older record without it', async () => {
    const state = new AzureState({ connectionString: session.connectionString, container: session.freshContainer() });
    try {
      const bindings = new CardBindings(state.records);
      await bindings.bind('19:ops@thread.tacv2', 'act-1', [ITEM], Date.now(), ABOUT);
      assert.deepEqual((await bindings.cardOf('19:ops@thread.tacv2', 'act-1'))?.about, ABOUT);
      await bindings.bind('19:ops@thread.tacv2', 'act-1', [ITEM], Date.now(), { ...ABOUT, line: 'Later.' });
      assert.deepEqual((await bindings.cardOf('19:ops@thread.tacv2', 'act-1'))?.about, ABOUT, 'the first kept');
      await bindings.settle('19:ops@thread.tacv2', 'act-1', { text: 'Cancelled by Megan Bowen.', style: 'good' });
      assert.deepEqual((await bindings.cardOf('19:ops@thread.tacv2', 'act-1'))?.about, ABOUT, 'kept by settle');
      await state.records.put('card:19:ops@thread.tacv2:act-2', { items: [ITEM] }, 'none');
      const older = await bindings.cardOf('19:ops@thread.tacv2', 'act-2');
      assert.deepEqual(older, { items: [ITEM], settled: null });
    } finally {
      await state.close();
    }
  });
});
