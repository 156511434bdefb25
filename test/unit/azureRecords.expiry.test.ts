// How the Azure records adapter keeps a blob's expiry through a write that says 'keep', on a
// stand-in for the container that records every blob call. Put Blob replaces the whole metadata,
// expiry included (https://learn.microsoft.com/rest/api/storageservices/put-blob), so the write
// must name the expiry again: a replace takes it from the version it is given (what the read saw,
// proven still current by If-Match), with no extra read; a put, which has no version, reads it
// first and writes only over the blob as read.

import { ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { AzureRecords } from '../../src/state/azureRecords';

interface Call {
  readonly op: string;
  readonly metadata?: Record<string, string>;
  readonly conditions?: Record<string, string>;
}

/** A container with one blob at `etag` whose metadata is `metadata`; every call is logged. */
function containerWithBlob(etag: string, metadata: Record<string, string>) {
  const calls: Call[] = [];
  let written = 0;
  const blob = {
    name: 'records/k',
    getProperties: async () => (calls.push({ op: 'getProperties' }), { etag, metadata }),
    download: async () => (calls.push({ op: 'download' }), Promise.reject(new Error('not expected'))),
    upload: async (
      _b: string,
      _n: number,
      o: { metadata: Record<string, string>; conditions: Record<string, string> },
    ) => {
      // The name each conditional write gives itself (azureUpload.ts) is no part of the expiry.
      const { writeid: _writeId, ...metadata } = o.metadata;
      calls.push({ op: 'upload', metadata, conditions: o.conditions });
      return { etag: `"0xW${++written}"` };
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

describe('Azure records: keeping the expiry', () => {
  it('a replace with keep writes the expiry its version names, at its ETag, in one call', async () => {
    const { container, calls } = containerWithBlob('"0x1"', { expiresat: '5000' });
    const version = await recordsOn(container, 1_000).replace('k', 1, '"0x1"~5000', 'keep');
    assert.deepEqual(calls, [{ op: 'upload', metadata: { expiresat: '5000' }, conditions: { ifMatch: '"0x1"' } }]);
    assert.equal(version, '"0xW1"~5000', 'the new version names the kept expiry');
  });

  it('a replace with keep at a version without an expiry writes none; one with none or a TTL says so', async () => {
    const { container, calls } = containerWithBlob('"0x1"', {});
    const records = recordsOn(container, 1_000);
    assert.equal(await records.replace('k', 1, '"0x1"', 'keep'), '"0xW1"');
    assert.equal(await records.replace('k', 1, '"0x1"~5000', 'none'), '"0xW2"');
    assert.equal(await records.replace('k', 1, '"0x1"~5000', { ttlMs: 60 }), '"0xW3"~1060');
    assert.deepEqual(
      calls.map((c) => [c.metadata, c.conditions]),
      [
        [{}, { ifMatch: '"0x1"' }],
        [{}, { ifMatch: '"0x1"' }],
        [{ expiresat: '1060' }, { ifMatch: '"0x1"' }],
      ],
    );
  });

  it('a replace with keep whose version names an expiry now past loses without a call', async () => {
    const { container, calls } = containerWithBlob('"0x1"', { expiresat: '5000' });
    assert.equal(await recordsOn(container, 5_000).replace('k', 1, '"0x1"~5000', 'keep'), null);
    assert.deepEqual(calls, []);
  });

  it('a put with keep reads the expiry, then writes it only over the blob as read', async () => {
    const { container, calls } = containerWithBlob('"0x7"', { expiresat: '5000' });
    assert.equal(await recordsOn(container, 1_000).put('k', 1, 'keep'), '"0xW1"~5000');
    assert.deepEqual(calls, [
      { op: 'getProperties' },
      { op: 'upload', metadata: { expiresat: '5000' }, conditions: { ifMatch: '"0x7"' } },
    ]);
  });
});
