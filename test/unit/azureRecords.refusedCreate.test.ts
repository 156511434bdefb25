// What a create refused by another writer costs on Azure: the refusal (409 BlobAlreadyExists to
// If-None-Match: *) is checked once against the blob (is it this write's own, put by a try whose
// answer was lost? azureUpload.ts), and create must then judge the same blob's expiry. One read
// answers both; a second, back to back, only doubled the calls of every refused create (each Teams
// re-send of a turn meets one, and so does every losing click claim).
// https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations

import { ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { AzureRecords } from '../../src/state/azureRecords';

/** A container with one live blob written by another writer; every create is refused. */
function containerWithOthersBlob(metadata: Record<string, string>, failReads = false) {
  const calls: string[] = [];
  const blob = {
    name: 'records/k',
    getProperties: async () => {
      calls.push('getProperties');
      if (failReads) throw Object.assign(new Error('no answer'), { code: 'ECONNRESET' });
      return { etag: '"0xOther"', metadata };
    },
    upload: async () => {
      calls.push('upload');
      throw Object.assign(new Error('exists'), { statusCode: 409, code: 'BlobAlreadyExists' });
    },
  };
  const container = { getBlockBlobClient: () => blob } as unknown as ContainerClient;
  return { container, calls };
}

function recordsOn(container: ContainerClient, now: number): AzureRecords {
  return new AzureRecords(container, {
    timeoutMs: 1_000,
    now: () => now,
    ready: () => Promise.resolve(),
    containerLost: () => undefined,
    report: () => undefined,
  });
}

describe('Azure records: a create refused by another writer', () => {
  it('reads the blob once, for both the write-id check and its expiry', async () => {
    const { container, calls } = containerWithOthersBlob({ expiresat: '9000', writeid: 'someone-else' });
    assert.equal(await recordsOn(container, 1_000).create('k', 1, 'none'), null);
    assert.deepEqual(calls, ['upload', 'getProperties']);
  });

  it('a create over an expired blob still replaces it at the ETag it saw expired', async () => {
    const { container, calls } = containerWithOthersBlob({ expiresat: '500', writeid: 'someone-else' });
    // The replace is refused too (the stand-in refuses every upload): three rounds, one read each.
    assert.equal(await recordsOn(container, 1_000).create('k', 1, 'none'), null);
    assert.deepEqual(calls, [
      ...['upload', 'getProperties', 'upload', 'getProperties'],
      ...['upload', 'getProperties', 'upload', 'getProperties'],
      ...['upload', 'getProperties', 'upload', 'getProperties'],
    ]);
  });

  it('when the check cannot read the blob, create reads it itself and reports the outage', async () => {
    const { container, calls } = containerWithOthersBlob({}, true);
    await assert.rejects(recordsOn(container, 1_000).create('k', 1, 'none'), /state store: create failed/);
    assert.deepEqual(calls, ['upload', 'getProperties', 'getProperties']);
  });
});
