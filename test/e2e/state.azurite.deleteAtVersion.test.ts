// A delete at a version on Azure Storage is two calls: the blob written over at that ETag as
// already expired, then that copy deleted at its own ETag (src/state/azureRecords.ts). Between the
// two, or when the second never comes (it failed, or the process stopped), the copy is a record
// that expired: absent to every reader, taken over by one creator, swept. A record created in
// between is never removed by the second call (If-Match,
// https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations).

import { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { AzureState } from '../../src/state/azure';
import { blobNameOf } from '../../src/state/azureBlobNames';
import { AzureRecords } from '../../src/state/azureRecords';
import { azuriteSession } from '../fixtures/azuriteSession';

describe('Azure Storage state store on Azurite, a delete at a version cut in two', function () {
  this.timeout(60_000);
  const session = azuriteSession();

  /** Records whose Delete Blob calls wait for `gate` and then do what it says; and a store on the
   * same container reached directly (another instance). */
  async function heldDeletes() {
    const container = session.freshContainer();
    const other = new AzureState({ connectionString: session.connectionString, container });
    await other.check();
    const client = new ContainerClient(session.connectionString, container);
    let reached: () => void = () => undefined;
    const atDelete = new Promise<void>((resolve) => (reached = resolve));
    let go: (fail: boolean) => void = () => undefined;
    const gate = new Promise<boolean>((resolve) => (go = resolve));
    const held = Object.create(client) as ContainerClient;
    held.getBlockBlobClient = (name: string): BlockBlobClient => {
      const blob = client.getBlockBlobClient(name);
      const wrapped = Object.create(blob) as BlockBlobClient;
      wrapped.delete = async (options) => {
        reached();
        if (await gate) throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
        return blob.delete(options);
      };
      return wrapped;
    };
    const context = { timeoutMs: 10_000, now: Date.now, ready: async () => undefined };
    const records = new AzureRecords(held, { ...context, containerLost: () => undefined, report: () => undefined });
    return { records, other, client, atDelete, go };
  }

  it('a record created between the two calls stays: the second deletes only the expired copy', async () => {
    const { records, other, client, atDelete, go } = await heldDeletes();
    const version = (await other.records.create('signin:a', 'old', 'none'))!;
    const deleting = records.delete('signin:a', version);
    await atDelete;
    const copy = await client.getBlockBlobClient(blobNameOf('signin:a')).getProperties();
    assert.equal(copy.metadata?.expiresat, '0', 'the copy written over as expired is there');
    assert.equal(await other.records.get('signin:a'), null, 'absent to another reader');
    const created = await other.records.create('signin:a', 'new', 'none');
    assert.ok(created, 'another instance creates the key in place of the copy');
    go(false);
    assert.equal(await deleting, true);
    assert.deepEqual(await other.records.get('signin:a'), { value: 'new', version: created });
  });

  it('a copy whose delete failed is absent, created once among concurrent creators, or swept', async () => {
    const { records, other, atDelete, go } = await heldDeletes();
    const a = (await other.records.create('signin:a', 'old', 'none'))!;
    const b = (await other.records.create('signin:b', 'old', 'none'))!;
    go(true);
    assert.equal(await records.delete('signin:a', a), true, 'deleted: the copy left is expired');
    await atDelete;
    assert.equal(await records.delete('signin:b', b), true);
    assert.equal(await other.records.get('signin:a'), null);
    assert.equal(await records.delete('signin:a', a), false, 'the consumed version deletes nothing more');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => other.records.create('signin:a', i, 'none')),
    );
    const winners = results.filter((v) => v !== null);
    assert.equal(winners.length, 1, 'exactly one creator takes the copy over');
    assert.equal((await other.records.get('signin:a'))?.version, winners[0]);
    assert.equal(await other.sweepExpired(), 1, 'the copy no one took over is swept');
    assert.equal(await other.records.get('signin:b'), null);
  });
});
