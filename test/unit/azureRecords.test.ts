// Which refusals of Azure Blob Storage the records adapter takes as answers, on a stand-in for the
// container that refuses every call with a chosen status and storage code (as the SDK reports
// them: statusCode, details.errorCode). Codes that Azurite cannot produce (ContainerBeingDeleted:
// a deleted container's name is refused for a while on Azure) are proven here; ContainerNotFound
// also on Azurite, in e2e/state.azurite.container.test.ts. Codes:
// https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes; conditional headers:
// https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations

import { ContainerClient } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { AzureRecords } from '../../src/state/azureRecords';
import { StateUnavailableError } from '../../src/state/port';

/** A container whose every blob call fails with `status` and `code`. */
function refusingContainer(status: number, code: string): ContainerClient {
  const refuse = () =>
    Promise.reject(Object.assign(new Error(code), { statusCode: status, details: { errorCode: code } }));
  const blob = { name: 'records/k', upload: refuse, download: refuse, getProperties: refuse, delete: refuse };
  return {
    getBlockBlobClient: () => blob,
    getBlobClient: () => blob,
    listBlobsFlat: () => ({ byPage: () => ({ next: refuse }) }),
  } as unknown as ContainerClient;
}

function recordsOn(container: ContainerClient) {
  const lost: number[] = [];
  const records = new AzureRecords(container, {
    timeoutMs: 1_000,
    now: Date.now,
    ready: () => Promise.resolve(),
    containerLost: () => lost.push(1),
    report: () => undefined,
  });
  return { records, lost };
}

function outcome(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => ({ resolvedWith: v }),
    (e: unknown) => e,
  );
}

const everyCall = (records: AzureRecords): Record<string, () => Promise<unknown>> => ({
  get: () => records.get('k'),
  create: () => records.create('k', 1, 'none'),
  replace: () => records.replace('k', 1, '"0x1"', 'none'),
  put: () => records.put('k', 1, 'none'),
  delete: () => records.delete('k'),
  'delete at a version': () => records.delete('k', '"0x1"'),
  sweep: () => records.sweep(),
});

describe('Azure records: refusals that answer, and refusals that are outages', () => {
  for (const [status, code] of [
    [409, 'ContainerBeingDeleted'],
    [404, 'ContainerNotFound'],
    [409, 'ContainerDisabled'],
  ] as const) {
    it(`${status} ${code} fails every call and makes the container be created again`, async () => {
      const { records, lost } = recordsOn(refusingContainer(status, code));
      for (const [what, call] of Object.entries(everyCall(records))) {
        const result = await outcome(call());
        assert.ok(result instanceof StateUnavailableError, `${what} answered ${JSON.stringify(result)}`);
        assert.ok(result.message.endsWith(`(${status} ${code})`), result.message);
      }
      assert.equal(lost.length, Object.keys(everyCall(records)).length, 'each call forgot the container');
    });
  }

  it('a 404 or 409 without a condition code is an outage, and the container is kept', async () => {
    for (const [status, code] of [
      [404, 'ResourceNotFound'],
      [409, 'LeaseIdMissing'],
      [412, 'LeaseNotPresentWithBlobOperation'],
    ] as const) {
      const { records, lost } = recordsOn(refusingContainer(status, code));
      for (const [what, call] of Object.entries(everyCall(records))) {
        const result = await outcome(call());
        assert.ok(result instanceof StateUnavailableError, `${code}: ${what} answered ${JSON.stringify(result)}`);
      }
      assert.deepEqual(lost, [], code);
    }
  });

  it('BlobNotFound: absent to a read and to a delete', async () => {
    const { records, lost } = recordsOn(refusingContainer(404, 'BlobNotFound'));
    assert.equal(await records.get('k'), null);
    assert.equal(await records.delete('k'), false);
    assert.equal(await records.delete('k', '"0x1"'), false);
    assert.equal(await records.replace('k', 1, '"0x1"', 'none'), null, 'replacing a blob that is gone loses');
    assert.deepEqual(lost, []);
  });

  it('ConditionNotMet: a replace or a delete at a stale version loses', async () => {
    const { records } = recordsOn(refusingContainer(412, 'ConditionNotMet'));
    assert.equal(await records.replace('k', 1, '"0x1"', 'none'), null);
    assert.equal(await records.delete('k', '"0x1"'), false);
    assert.ok((await outcome(records.put('k', 1, 'none'))) instanceof StateUnavailableError, 'put has no condition');
  });
});
