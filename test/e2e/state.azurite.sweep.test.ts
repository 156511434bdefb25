// The Azure Storage state store's sweep of expired records against Azurite on loopback: what it
// deletes and keeps, its limit counted in deletions, where in the listing it goes on, and the races
// only the service can show (a record rewritten, or created anew, while the sweep runs).

import { BlobClient, ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { AzureState } from '../../src/state/azure';
import { blobNameOf } from '../../src/state/azureBlobNames';
import { SweepBudget } from '../../src/state/azureRecords';
import { azuriteSession } from '../fixtures/azuriteSession';

describe('Azure Storage state store on Azurite', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  const { freshContainer } = session;

  /** A fresh container with `live` records and `expiring` ones (1 s), the clock just past their expiry. */
  async function withExpired(live: readonly string[], expiring: readonly string[], sweep?: SweepBudget) {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({
      connectionString: session.connectionString,
      container,
      storageTime: () => clock,
      ...(sweep ? { sweep } : {}),
    });
    for (const key of live) await state.records.put(key, true, 'none');
    for (const key of expiring) await state.records.put(key, true, { ttlMs: 1_000 });
    clock += 1_000;
    return { state, container };
  }

  // The sweep lists blobs page by page with a continuation marker
  // (https://learn.microsoft.com/en-us/rest/api/storageservices/enumerating-blob-resources) and
  // deletes each only at the ETag it listed (If-Match,
  // https://learn.microsoft.com/en-us/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations).
  it('sweeps expired records away and keeps the rest', async () => {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container, storageTime: () => clock });
    await state.records.put('dedupe:1', true, { ttlMs: 1_000 });
    await state.records.put('dedupe:2', true, { ttlMs: 1_000 });
    await state.records.put('signin:1', { step: 1 }, { ttlMs: 60_000 });
    await state.records.put('claim:1', { by: 'u1' }, 'none');
    assert.equal(await state.sweepExpired(), 0);
    clock += 1_000;
    assert.equal(await state.sweepExpired(), 2);
    const left: string[] = [];
    for await (const blob of new ContainerClient(session.connectionString, container).listBlobsFlat()) {
      left.push(blob.name);
    }
    assert.deepEqual(left.sort(), [blobNameOf('claim:1'), blobNameOf('signin:1')].sort());
  });

  it('a record rewritten after the sweep listed it expired is kept (the delete is conditional)', async () => {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container, storageTime: () => clock });
    await state.records.put('turn:1', 'old', { ttlMs: 1_000 });
    clock += 1_000;
    // Between the sweep's listing and its delete, someone writes the key anew.
    const listBlobsFlat = ContainerClient.prototype.listBlobsFlat;
    ContainerClient.prototype.listBlobsFlat = function (this: ContainerClient, ...args) {
      const listing = listBlobsFlat.apply(this, args);
      const byPage = listing.byPage.bind(listing);
      listing.byPage = (settings) => {
        const pages = byPage(settings);
        const next = pages.next.bind(pages);
        pages.next = async () => {
          const page = await next();
          await state.records.put('turn:1', 'new', { ttlMs: 60_000 });
          return page;
        };
        return pages;
      };
      return listing;
    };
    try {
      assert.equal(await state.sweepExpired(), 0, 'the blob changed since it was listed: not deleted');
    } finally {
      ContainerClient.prototype.listBlobsFlat = listBlobsFlat;
    }
    assert.equal((await state.records.get('turn:1'))?.value, 'new');
  });

  it('a sweep limit counts deletions: live records listed first never hide the expired ones', async () => {
    // Blobs list in name order: the live records come first.
    const { state } = await withExpired(['a:live:1', 'a:live:2', 'a:live:3'], ['z:turn:1', 'z:turn:2']);
    assert.equal(await state.sweepExpired(1), 1);
    assert.equal(await state.sweepExpired(1), 1);
    assert.equal(await state.sweepExpired(1), 0);
    assert.equal((await state.records.get('a:live:3'))?.value, true);
  });

  it('goes on in the listing where the last sweep stopped, and starts over after the end', async () => {
    // One page per sweep, of two blobs.
    const { state } = await withExpired(['a:live:1', 'a:live:2', 'a:live:3'], ['z:turn:1', 'z:turn:2'], {
      ms: 0,
      pageSize: 2,
    });
    assert.equal(await state.sweepExpired(), 0, 'page 1: a:live:1, a:live:2');
    assert.equal(await state.sweepExpired(), 1, 'page 2: a:live:3, z:turn:1');
    assert.equal(await state.sweepExpired(), 1, 'page 3: z:turn:2, the end');
    assert.equal(await state.sweepExpired(), 0, 'from the top again');
    assert.equal((await state.records.get('a:live:2'))?.value, true);
  });

  it('a sweep cut short by its limit lists the same page again next time', async () => {
    const { state, container } = await withExpired(['a:live:1', 'c:live:1'], ['b:turn:1', 'b:turn:2', 'd:turn:3'], {
      pageSize: 3,
    });
    const left = async () => {
      const names: string[] = [];
      for await (const blob of new ContainerClient(session.connectionString, container).listBlobsFlat()) {
        names.push(blob.name);
      }
      return names;
    };
    assert.equal(await state.sweepExpired(1), 1);
    assert.equal(await state.sweepExpired(1), 1);
    const names = await left();
    assert.ok(!names.includes(blobNameOf('b:turn:2')), 'the rest of the first page went before the next page');
    assert.ok(names.includes(blobNameOf('d:turn:3')));
    assert.equal(await state.sweepExpired(1), 1);
    assert.ok(!(await left()).includes(blobNameOf('d:turn:3')));
  });

  it('a create racing the sweep of the expired record it replaces still creates', async () => {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container, storageTime: () => clock });
    await state.records.put('turn:1', 'old', { ttlMs: 1_000 });
    clock += 1_000;
    // The sweep deletes the expired blob right after create has looked at it.
    const getProperties = BlobClient.prototype.getProperties;
    let swept = 0;
    BlobClient.prototype.getProperties = async function (this: BlobClient, ...args) {
      const seen = await getProperties.apply(this, args);
      if (swept === 0) swept = await state.sweepExpired();
      return seen;
    };
    try {
      assert.ok(await state.records.create('turn:1', 'new', 'none'), 'the key was free: create wins');
    } finally {
      BlobClient.prototype.getProperties = getProperties;
    }
    assert.equal(swept, 1, 'the sweep ran in between');
    assert.equal((await state.records.get('turn:1'))?.value, 'new');
  });
});
