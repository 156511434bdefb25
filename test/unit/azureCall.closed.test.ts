// A storage call on a closed Azure store (src/state/azureCall.ts): refused before it starts, and
// one under way is cut at the close with the same refusal, even when the SDK does not heed its
// signal (its bearer policy waits for a token refresh whatever the signal says).

import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { storageCall } from '../../src/state/azureCall';
import { StateUnavailableError } from '../../src/state/port';

const refusedAsClosed = (e: unknown) => e instanceof StateUnavailableError && e.message === 'state store: closed';

describe('azure storage calls on a closed store', () => {
  it('refuses a call that starts after the close, without running it', async () => {
    const closing = new AbortController();
    closing.abort();
    let ran = false;
    const call = storageCall({ timeoutMs: 10_000, closed: closing.signal }, 'get', async () => {
      ran = true;
      return 1;
    });
    await assert.rejects(call, refusedAsClosed);
    assert.equal(ran, false);
  });

  it('cuts a call under way at the close, its signal aborted, even when the work does not heed it', async () => {
    const closing = new AbortController();
    let seen: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const call = storageCall({ timeoutMs: 10_000, closed: closing.signal }, 'put', (signal) => {
      seen = signal;
      started();
      return new Promise<number>(() => undefined);
    });
    await running;
    closing.abort();
    await assert.rejects(call, refusedAsClosed);
    assert.equal(seen?.aborted, true, 'the SDK is told to stop');
  });

  it('a call that ends before the close is answered as usual, and leaves nothing on the store’s signal', async () => {
    const closing = new AbortController();
    const context = { timeoutMs: 10_000, closed: closing.signal };
    assert.equal(await storageCall(context, 'get', async () => 7), 7);
    await assert.rejects(
      storageCall(context, 'put', async () => {
        throw new Error('refused');
      }),
      StateUnavailableError,
    );
    // The store lives as long as the process: a listener left per call would grow without end.
    assert.equal(getEventListeners(closing.signal, 'abort').length, 0);
    closing.abort();
  });
});
