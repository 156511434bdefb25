// The outbox's polling loop on stop (src/notifications/outboxLoop.ts): the deadline stop() is given
// is what the shutdown's one deadline relies on (src/shutdown.ts, src/app.ts). It counts from the
// call, also while the loop is inside a lease call (on Azure several queue calls, each with its
// own deadline), and a row such a call brings back after stop() began is given back unworked.

import { strict as assert } from 'node:assert';
import pino from 'pino';
import { OutboxLoop } from '../../src/notifications/outboxLoop';
import { Lease } from '../../src/state/port';

type Row = Lease<{ readonly eventId: string }>;

const row = (id: string): Row => ({ id, payload: { eventId: id }, attempts: 1, receipt: `r-${id}` });

/** A promise and the function that settles it. */
function signal<T = void>(): { promise: Promise<T>; fire: (value: T) => void } {
  let fire!: (value: T) => void;
  const promise = new Promise<T>((r) => (fire = r));
  return { promise, fire };
}

describe('outbox loop: stop', () => {
  it('aborts the work under way at its deadline while the loop is inside a slow lease call, and gives back the row that call brings', async () => {
    let leases = 0;
    const secondLeaseStarted = signal();
    const secondLeaseAnswer = signal<Row | null>();
    const workStarted = signal();
    const abortSeen = signal<'aborted'>();
    const worked: string[] = [];
    const givenBack: string[] = [];
    const loop = new OutboxLoop({
      lease: async () => {
        leases++;
        if (leases === 1) return row('ev-1');
        secondLeaseStarted.fire();
        return secondLeaseAnswer.promise; // a slow storage call, still under way when stop() is called
      },
      giveBack: async (r) => void givenBack.push(r.id),
      handle: (r, stop) =>
        new Promise<void>((resolve) => {
          worked.push(r.id);
          workStarted.fire();
          // A send that hangs until shutdown aborts it, then gives its row back.
          stop.addEventListener('abort', () => {
            abortSeen.fire('aborted');
            resolve();
          });
        }),
      logger: pino({ level: 'silent' }),
      pollMs: 10,
      concurrency: 4,
    });
    loop.start();
    await workStarted.promise;
    await secondLeaseStarted.promise;

    const stopping = loop.stop(20);
    // A bound for the failure case only: the abort is due 20 ms after stop(); 3 s is far past it.
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      abortSeen.promise,
      new Promise<'not aborted'>((r) => (bound = setTimeout(() => r('not aborted'), 3000))),
    ]);
    clearTimeout(bound);
    assert.equal(outcome, 'aborted', 'the work under way is aborted by its deadline, lease call or not');
    await stopping;

    // The slow lease call brings a row after all: nobody would wait for its work.
    secondLeaseAnswer.fire(row('ev-2'));
    while (givenBack.length === 0) await new Promise((r) => setImmediate(r));
    assert.deepEqual(worked, ['ev-1'], 'the late row was not worked');
    assert.deepEqual(givenBack, ['ev-2'], 'the late row was given back');
  });

  it('lets every row under way listen for shutdown on its signal without a listener warning', async () => {
    // Up to `concurrency` rows (32 in production) each wait or send with this one signal: Node warns
    // past ten listeners on an AbortSignal (MaxListenersExceededWarning), which here is no leak.
    const loop = new OutboxLoop({
      lease: async () => null,
      giveBack: async () => undefined,
      handle: async () => undefined,
      logger: pino({ level: 'silent' }),
      pollMs: 10,
      concurrency: 32,
    });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 32; i++) loop.signal.addEventListener('abort', () => undefined);
      // Node emits the warning on a later tick.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(
      warnings.filter((n) => n === 'MaxListenersExceededWarning'),
      [],
    );
  });
});
