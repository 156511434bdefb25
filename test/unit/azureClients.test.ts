// The pipeline step that shows the storage clock every answer's `Date` header
// (https://learn.microsoft.com/rest/api/storageservices/common-rest-api-response-headers): it
// learns from answers and refusals alike and changes nothing that passes through it. On Azurite,
// e2e/state.azurite.clock.test.ts shows it on the real clients.

import type { HttpOperationResponse, RequestPolicy, RequestPolicyOptions, WebResource } from '@azure/storage-blob';
import { strict as assert } from 'node:assert';
import { dateObserver } from '../../src/state/azureClients';
import { StorageClock } from '../../src/state/storageClock';

const LOCAL = Date.UTC(2030, 0, 2, 3, 4, 5);
/** The storage answers with its clock a minute ahead of the local one. */
const DATE = new Date(LOCAL + 60_000).toUTCString();

const headersWith = (date: string | undefined) => ({ get: (name: string) => (name === 'date' ? date : undefined) });

function stepOver(next: RequestPolicy['sendRequest']) {
  const clock = new StorageClock(() => LOCAL);
  const step = dateObserver(clock).create({ sendRequest: next }, {} as RequestPolicyOptions);
  return { clock, send: () => step.sendRequest({} as WebResource) };
}

describe('the Date observer in the storage pipelines', () => {
  it('learns from an answer and passes it on as it is', async () => {
    const response = { status: 201, headers: headersWith(DATE) } as unknown as HttpOperationResponse;
    const { clock, send } = stepOver(() => Promise.resolve(response));
    assert.equal(await send(), response);
    assert.ok(Math.abs(clock.offset()!.offsetMs - 60_000) <= 500);
  });

  it('learns from a refusal the SDK throws (it carries the answer) and throws it on unchanged', async () => {
    const refusal = Object.assign(new Error('BlobAlreadyExists'), {
      statusCode: 409,
      response: { headers: headersWith(DATE) },
    });
    const { clock, send } = stepOver(() => Promise.reject(refusal));
    await assert.rejects(send(), (e) => e === refusal);
    assert.ok(Math.abs(clock.offset()!.offsetMs - 60_000) <= 500);
  });

  it('a failure without an answer (the network) teaches nothing and is thrown on unchanged', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { clock, send } = stepOver(() => Promise.reject(down));
    await assert.rejects(send(), (e) => e === down);
    assert.equal(clock.offset(), null);
  });
});
