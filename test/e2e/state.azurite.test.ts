// The Azure Storage state store (records on Blob Storage, the outbox on Queue Storage) against
// Azurite on loopback: the storage contract, and a record blob whose body is not JSON. The sweep,
// the outbox and the service's failures are proven in the sibling state.azurite.*.test.ts files.
// Leases are visibility timeouts on the service's clock: the contract's time-dependent queue
// tests poll the service rather than move a fake clock (record expiry still uses a fake one).

import { ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { AzureState } from '../../src/state/azure';
import { blobNameOf } from '../../src/state/azureBlobNames';
import { updateRecord } from '../../src/state/update';
import { azuriteSession } from '../fixtures/azuriteSession';
import { azureStateContract } from '../fixtures/azureStateContract';
import { problemTexts } from '../fixtures/problemTexts';

describe('Azure Storage state store on Azurite', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  const { freshContainer } = session;

  describe('the storage contract', () => {
    azureStateContract(() => ({ connectionString: session.connectionString, container: freshContainer() }));
  });

  it('quarantines a blob whose body is not JSON: get gives null, the bytes are kept aside', async () => {
    const container = freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container });
    await state.records.put('claim:x', { by: 'u1' }, 'none');
    const blobs = new ContainerClient(session.connectionString, container);
    const garbage = 'garbage {';
    await blobs.getBlockBlobClient(blobNameOf('claim:x')).upload(garbage, garbage.length);
    assert.equal(await state.records.get('claim:x'), null);
    const problems = problemTexts(state);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /record "claim:x": its value is not JSON; kept as quarantine\//);
    const kept: string[] = [];
    for await (const blob of blobs.listBlobsFlat({ prefix: 'quarantine/' })) kept.push(blob.name);
    assert.equal(kept.length, 1);
    assert.equal((await blobs.getBlockBlobClient(kept[0]!).downloadToBuffer()).toString(), garbage);
    assert.ok(await state.records.create('claim:x', { by: 'u2' }, 'none'), 'the key can be written again');
  });

  // Conditional writes (If-Match on the ETag read,
  // https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations):
  // the losers back off and try again until every one has landed.
  it('40 concurrent compare-and-swap writers on one record all land with the default settings', async () => {
    const state = new AzureState({ connectionString: session.connectionString, container: freshContainer() });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        updateRecord<number>(state.records, 'counter', (n) => ({ next: (n ?? 0) + 1 }), 'none'),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 0, `${failed.length} writers gave up`);
    assert.equal((await state.records.get<number>('counter'))?.value, 40);
  });
});
