// A send that Teams answered while the shutdown was aborting the work under way: the answer is what
// happened, not the shutdown. A 500 (Teams asks bots not to send again: the card may have been
// posted, https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis)
// settles the event; taken for a shutdown, the row would go back for the next instance to post again.

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { StateUnavailableError } from '../../src/state/port';
import { deliverySession, eventually, observeReleases, roleEvent, teamsError } from '../fixtures/deliverySession';

describe('notification delivery: an answer that lands during shutdown', () => {
  const session = deliverySession();
  const { instance } = session;

  it('settles a 500 answered as the shutdown began, instead of leaving the row for another send', async () => {
    let stopping: Promise<void> | undefined;
    const made: { worker?: Awaited<ReturnType<typeof instance>>['worker'] } = {};
    // The loop's shutdown: stop() aborts it once its deadline has passed; here it is aborted at the
    // moment the answer lands, which stop() alone cannot time.
    const shutdownOf = () => (made.worker as unknown as { loop: { shutdown: AbortController } }).loop.shutdown;
    // Teams answers 500, and in the same moment (before the worker reads the answer) the shutdown
    // aborts the sends under way.
    const send: SendCard = () =>
      new Promise((_, reject) => {
        reject(teamsError(500));
        shutdownOf().abort(new Error('shutting down'));
        stopping = made.worker?.stop(0);
      });
    const { store, state, worker } = await instance(send, { sendTimeoutMs: 5_000 });
    made.worker = worker;
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => stopping !== undefined, 'the send answered');
    await stopping;
    await eventually(async () => (await store.get('e1'))?.state !== 'queued', 'the event settled');
    const record = await store.get('e1');
    assert.equal(record?.state, 'undeliverable');
    assert.match(record?.state === 'undeliverable' ? (record.reason ?? '') : '', /500/);
    assert.equal(await state.outbox.lease(1000), null, 'no row left to send it again');
  });

  // A 429 (Teams asks for a wait of Retry-After, same page) answered as the shutdown began is a
  // retry like any other: the row waits out Retry-After and the attempt is counted; taken for a
  // shutdown, the row came back due at once and the next instance sent again inside the wait.
  const answered429 = async (retryWrite?: () => Promise<void>) => {
    let stopping: Promise<void> | undefined;
    const made: { worker?: Awaited<ReturnType<typeof instance>>['worker'] } = {};
    const shutdownOf = () => (made.worker as unknown as { loop: { shutdown: AbortController } }).loop.shutdown;
    const send: SendCard = () =>
      new Promise((_, reject) => {
        reject(teamsError(429, '30'));
        shutdownOf().abort(new Error('shutting down'));
        stopping = made.worker?.stop(0);
      });
    const made429 = await instance(send, { sendTimeoutMs: 5_000, backoffMs: () => 1 });
    made.worker = made429.worker;
    if (retryWrite) made429.store.retryLater = retryWrite;
    const releases = observeReleases(made429.state);
    await made429.store.accept(roleEvent('e1'));
    made429.worker.start();
    await eventually(async () => stopping !== undefined, 'the send answered');
    await stopping;
    return { ...made429, releases };
  };

  it('has a 429 answered as the shutdown began wait out its Retry-After, the attempt counted', async () => {
    const { store, state, releases } = await answered429();
    await eventually(async () => (await store.get('e1'))?.attempts === 1, 'the attempt counted');
    assert.deepEqual(releases, [30_000]);
    assert.equal((await store.get('e1'))?.state, 'queued');
    assert.equal(await state.outbox.lease(1000), null, 'the row waits out Retry-After');
  });

  it('logs a retry that could not be written as the store closed, the row left waiting', async () => {
    const { store, state, releases, events } = await answered429(async () => {
      throw new StateUnavailableError('state store: closed');
    });
    await eventually(async () => events().includes('notification.delivery.failed'), 'the failure logged');
    assert.deepEqual(releases, [30_000], 'the row went back, with its wait, before the write');
    assert.equal((await store.get('e1'))?.state, 'queued', 'the event is still to send');
    assert.equal(await state.outbox.size(), 1);
  });
});
