// A record blob whose body is not JSON, read again and again, on a stand-in for the container whose
// answers are chosen: it is told to the store's watchers once, whether it could be copied aside or
// not, and copied once for each version (ETag) of the blob. The copies under concurrency, on
// another instance and with a refused delete are proven on Azurite in
// e2e/state.azurite.quarantine.test.ts; a copy that keeps failing cannot be made to happen there.
// Conditional headers: https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations

import { ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { Readable } from 'node:stream';
import { AzureRecords } from '../../src/state/azureRecords';
import { StoreProblem, StoreProblems } from '../../src/state/problems';

const refusal = (status: number, code: string) =>
  Object.assign(new Error(code), { statusCode: status, details: { errorCode: code } });

/** A container holding one unreadable record blob at `blob.etag`; copies under `quarantine/` go
 * through `copy` and the record's delete through `remove`. */
function unreadableContainer(copy: () => Promise<unknown>, remove: () => Promise<unknown>) {
  const calls = { copies: [] as string[], deletes: 0 };
  const blob = {
    name: 'records/k',
    etag: '"0x1"',
    download: () =>
      Promise.resolve({ readableStreamBody: Readable.from([Buffer.from('garbage {')]), etag: blob.etag, metadata: {} }),
    delete: () => {
      calls.deletes++;
      return remove();
    },
  };
  const container = {
    getBlockBlobClient: (name: string) =>
      name.startsWith('quarantine/')
        ? {
            name,
            upload: () => {
              calls.copies.push(name);
              return copy();
            },
          }
        : blob,
  } as unknown as ContainerClient;
  return { container, blob, calls };
}

function storeOn(container: ContainerClient) {
  const problems = new StoreProblems();
  const told: StoreProblem[] = [];
  problems.watch((p) => told.push(p));
  const records = new AzureRecords(container, {
    timeoutMs: 1_000,
    now: Date.now,
    ready: () => Promise.resolve(),
    containerLost: () => undefined,
    // As AzureState reports: into the store's one problem memory.
    report: (problem) => problems.add(problem),
  });
  return { records, problems, told };
}

describe('Azure records: an unreadable blob read again and again', () => {
  it('whose copy keeps failing is told once, and every read tries the copy again', async () => {
    const { container, calls } = unreadableContainer(
      () => Promise.reject(refusal(500, 'InternalError')),
      () => Promise.resolve({}),
    );
    const { records, problems, told } = storeOn(container);
    for (let i = 0; i < 5; i++) assert.equal(await records.get('k'), null, 'answered as absent');
    assert.equal(calls.copies.length, 5, 'each read tries to copy it');
    assert.equal(calls.deletes, 0, 'never removed without a copy');
    assert.equal(problems.count(), 1);
    assert.deepEqual(
      told.map((p) => p.text),
      ['record "k": its value is not JSON; it could not be set aside yet'],
    );
  });

  it('whose delete is refused is copied once per version and told once per copy', async () => {
    const { container, blob, calls } = unreadableContainer(
      () => Promise.resolve({}),
      () => Promise.reject(refusal(409, 'SnapshotsPresent')),
    );
    const { records, problems, told } = storeOn(container);
    for (let i = 0; i < 5; i++) assert.equal(await records.get('k'), null);
    assert.deepEqual(calls.copies, ['quarantine/k.0x1']);
    assert.equal(calls.deletes, 5, 'each read tries to remove the original again');
    assert.equal(problems.count(), 1);
    blob.etag = '"0x2"';
    for (let i = 0; i < 5; i++) assert.equal(await records.get('k'), null);
    assert.deepEqual(calls.copies, ['quarantine/k.0x1', 'quarantine/k.0x2']);
    assert.equal(problems.count(), 2);
    assert.deepEqual(
      told.map((p) => p.keptAs),
      ['quarantine/k.0x1', 'quarantine/k.0x2'],
    );
  });

  it('whose copy fails and then is made is told twice: once not kept, once kept', async () => {
    let failing = true;
    const { container, calls } = unreadableContainer(
      () => (failing ? Promise.reject(refusal(503, 'ServerBusy')) : Promise.resolve({})),
      () => Promise.resolve({}),
    );
    const { records, told } = storeOn(container);
    for (let i = 0; i < 3; i++) await records.get('k');
    failing = false;
    for (let i = 0; i < 3; i++) await records.get('k');
    assert.equal(calls.copies.length, 4, 'three that failed, one that was made, none after the removal');
    assert.deepEqual(
      told.map((p) => p.keptAs ?? null),
      [null, 'quarantine/k.0x1'],
    );
  });
});
