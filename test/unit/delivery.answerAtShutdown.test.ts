// A send that Teams answered while the shutdown was aborting the work under way: the answer is what
// happened, not the shutdown. A 500 (Teams asks bots not to send again: the card may have been
// posted, https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis)
// settles the event; taken for a shutdown, the row would go back for the next instance to post again.

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { deliverySession, eventually, roleEvent, teamsError } from '../fixtures/deliverySession';

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
});
