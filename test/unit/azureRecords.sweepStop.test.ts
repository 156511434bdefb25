// The Azure records adapter's sweep told to stop (shutdown, or the periodic row lost) while it
// deletes: no delete starts after the stop, the deletes under way end, nothing is reported as a
// failure, and the page it was working is listed again by the next sweep, so what it left is swept
// then. On a stand-in container that lists one page of expired blobs and records every delete.
// Listing: https://learn.microsoft.com/en-us/rest/api/storageservices/list-blobs; conditional delete:
// https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations

import { ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { AzureRecords } from '../../src/state/azureRecords';

/** A container of `count` blobs expired at 1000, listed in one page; `onDelete` hears each delete. */
function expiredContainer(count: number, onDelete: (name: string) => void) {
  const blobs = new Map(Array.from({ length: count }, (_, i) => [`records/turn%3A${i}`, `"0x${i}"`]));
  const deleted: string[] = [];
  const listedWith: Array<string | undefined> = [];
  const container = {
    listBlobsFlat: () => ({
      byPage: (o: { continuationToken?: string }) => ({
        next: async () => {
          listedWith.push(o.continuationToken);
          const blobItems = [...blobs].map(([name, etag]) => ({
            name,
            properties: { etag },
            metadata: { expiresat: '1000' },
          }));
          return { value: { segment: { blobItems }, continuationToken: '' } };
        },
      }),
    }),
    getBlobClient: (name: string) => ({
      delete: async () => {
        onDelete(name);
        deleted.push(name);
        blobs.delete(name);
      },
    }),
  } as unknown as ContainerClient;
  return { container, deleted, listedWith };
}

function recordsOn(container: ContainerClient): AzureRecords {
  return new AzureRecords(container, {
    timeoutMs: 1_000,
    now: () => 2_000,
    ready: () => Promise.resolve(),
    containerLost: () => undefined,
    report: () => undefined,
  });
}

describe('Azure records: a sweep told to stop', () => {
  it('starts no delete after the stop, and the next sweep takes the rest of the page', async () => {
    const stop = new AbortController();
    // The stop arrives as the first delete is sent.
    const { container, deleted, listedWith } = expiredContainer(20, () => stop.abort(new Error('shutdown')));
    const records = recordsOn(container);
    assert.equal(await records.sweep(10_000, {}, stop.signal), 1, 'only the delete under way when told to stop');
    assert.equal(deleted.length, 1, 'no delete after the stop');

    assert.equal(await records.sweep(), 19, 'the next sweep deletes what was left');
    assert.equal(deleted.length, 20);
    assert.deepEqual(listedWith, [undefined, undefined], 'the page cut short is listed again');
  });

  it('a stop raised before the sweep starts deletes nothing', async () => {
    const stop = new AbortController();
    stop.abort(new Error('shutdown'));
    const { container, deleted } = expiredContainer(3, () => undefined);
    assert.equal(await recordsOn(container).sweep(10_000, {}, stop.signal), 0);
    assert.deepEqual(deleted, []);
  });
});
