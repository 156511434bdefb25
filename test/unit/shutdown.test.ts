// The order a stopping instance closes in (src/shutdown.ts): turns end, then the digest drains,
// then the alert hooks the last turns started finish, and only then does the store close; a hung
// Teams send holds only the delivery side, not the turns' side; the deadline bounds it all.

import { strict as assert } from 'node:assert';
import { ShutdownSteps, shutDown } from '../../src/shutdown';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Steps that record what happened, in order; `over` replaces parts (and may write to the log). */
function recorded(over: (log: string[]) => Partial<ShutdownSteps> = () => ({})) {
  const log: string[] = [];
  const steps: ShutdownSteps = {
    stopDelivery: async () => void log.push('delivery stopped'),
    closeServer: async () => void log.push('server closed'),
    dropConnections: () => void log.push('connections dropped'),
    turnsIdle: [async () => void log.push('turns idle')],
    drainCounts: () => void log.push('counts drained'),
    hooksIdle: async () => void log.push('hooks idle'),
    finally: [
      async () => void log.push('references flushed'),
      async () => void log.push('instance stopped'),
      async () => void log.push('store closed'),
    ],
    ...over(log),
  };
  return { log, steps };
}

/** A hook that finishes `ms` after `start()`, and a hooksIdle that waits for it. */
function hookAfter(log: string[], ms: number) {
  let done = false;
  return {
    start: () =>
      void sleep(ms).then(() => {
        done = true;
        log.push('hook finished');
      }),
    idle: async () => {
      while (!done) await sleep(5);
    },
  };
}

describe('shutdown order', () => {
  it('drains the counts after the turns end and waits for the hooks before the store closes', async () => {
    const { log, steps } = recorded((log) => {
      const hook = hookAfter(log, 50);
      return {
        // A turn finishing during shutdown starts its alert hook as it ends.
        turnsIdle: [
          async () => {
            await sleep(20);
            log.push('turns idle');
            hook.start();
          },
        ],
        hooksIdle: hook.idle,
      };
    });
    await shutDown(steps, 5_000);
    const at = (what: string) => log.indexOf(what);
    assert.ok(at('turns idle') < at('counts drained'), log.join(', '));
    assert.ok(at('counts drained') < at('hook finished'), log.join(', '));
    assert.ok(at('hook finished') < at('store closed'), log.join(', '));
    assert.deepEqual(log.slice(-3), ['references flushed', 'instance stopped', 'store closed']);
  });

  it("does not hold the turns' after-work behind a hung Teams send: the counts drain as the turns end", async () => {
    // The delivery worker's stop takes all the time it is given (a send hangs). The turns' side
    // goes on meanwhile: drained and finished long before the delivery side gives up.
    const { log, steps } = recorded((log) => {
      const hook = hookAfter(log, 50);
      return {
        stopDelivery: async (withinMs) => {
          await sleep(withinMs);
          log.push('delivery stopped');
        },
        turnsIdle: [
          async () => {
            log.push('turns idle');
            hook.start();
          },
        ],
        hooksIdle: hook.idle,
      };
    });
    await shutDown(steps, 1_500);
    const at = (what: string) => log.indexOf(what);
    assert.ok(at('counts drained') < at('delivery stopped'), log.join(', '));
    assert.ok(at('hook finished') < at('delivery stopped'), log.join(', '));
    assert.ok(at('delivery stopped') < at('store closed'), 'the store closes after the delivery side too');
  });

  it('closes the store at the deadline even when a turn never ends', async () => {
    const { log, steps } = recorded(() => ({ turnsIdle: [() => new Promise<void>(() => undefined)] }));
    await shutDown(steps, 100);
    assert.deepEqual(log.slice(-3), ['references flushed', 'instance stopped', 'store closed']);
    assert.ok(log.includes('counts drained'), 'the counts are drained at the deadline at the latest');
  });
});
