// The order a stopping instance closes in (src/shutdown.ts): turns end, then the digest drains,
// then the alert hooks the last turns started finish, and only then does the store close; a hung
// Teams send holds only the delivery side, not the turns' side; one overall deadline bounds it
// all, each step's share counted back from its end so the store's close always keeps its own,
// under the process's forced exit. Deadlines are reached on a clock the test moves.

import { strict as assert } from 'node:assert';
import {
  CLOSE_STORE_MS,
  FLUSH_REFERENCES_MS,
  FORCED_EXIT_MS,
  SHUTDOWN_MS,
  STOP_INSTANCE_MS,
  ShutdownSteps,
  shutDown,
} from '../../src/shutdown';
import { ManualClock } from '../fixtures/manualClock';

/** A kind of work under way, named as the turns are. */
const turn = (idle: () => Promise<void>) => ({ what: 'the turns under way', idle });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Steps that record what happened, in order; `over` replaces parts (and may write to the log). */
function recorded(over: (log: string[]) => Partial<ShutdownSteps> = () => ({})) {
  const log: string[] = [];
  const steps: ShutdownSteps = {
    stopPacing: () => void log.push('pacing stopped'),
    stopDelivery: async () => void log.push('delivery stopped'),
    closeServer: async () => void log.push('server closed'),
    dropConnections: () => void log.push('connections dropped'),
    turnsIdle: [turn(async () => void log.push('turns idle'))],
    drainCounts: () => void log.push('counts drained'),
    hooksIdle: async () => void log.push('hooks idle'),
    flushReferences: async () => void log.push('references flushed'),
    stopInstance: async () => void log.push('instance stopped'),
    closeStore: async () => void log.push('store closed'),
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
          turn(async () => {
            await sleep(20);
            log.push('turns idle');
            hook.start();
          }),
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

  it('counts the requests under way as turns: the hooks a request starts as it ends finish before the store closes', async () => {
    // A turn is an HTTP request (a command, a click) as much as work it left behind: the server's
    // close resolves when the last request under way is answered (src/serverListen.ts), and that turn's
    // audit starts its alert hook as it ends.
    const { log, steps } = recorded((log) => {
      let started = false;
      let finished = false;
      return {
        closeServer: async () => {
          await sleep(20);
          started = true;
          void sleep(50).then(() => {
            finished = true;
            log.push('hook finished');
          });
          log.push('server closed');
        },
        // Only the hooks started so far, as alert hooks are tracked.
        hooksIdle: async () => {
          while (started && !finished) await sleep(5);
        },
      };
    });
    await shutDown(steps, 5_000);
    const at = (what: string) => log.indexOf(what);
    assert.ok(at('server closed') < at('counts drained'), log.join(', '));
    assert.ok(at('hook finished') < at('store closed'), log.join(', '));
  });

  it("waits for the work a request under way leaves behind as it is answered (a card's edit for everyone)", async () => {
    // A card click's answer goes out at once and the edit everyone sees runs after it (the bot's
    // later work, src/bot/clickAnswers.ts editLater): a click still under way when the turns' idle
    // was first asked had left nothing behind yet, so the edit was started after that wait had
    // ended and the store was closed under it.
    const { log, steps } = recorded((log) => {
      const behind: Array<Promise<void>> = [];
      return {
        closeServer: async () => {
          await sleep(20);
          behind.push(sleep(50).then(() => void log.push('edit done')));
          log.push('server closed');
        },
        turnsIdle: [
          turn(async () => {
            while (behind.length > 0) await Promise.allSettled(behind.splice(0));
            log.push('turns idle');
          }),
        ],
      };
    });
    await shutDown(steps, 5_000);
    const at = (what: string) => log.indexOf(what);
    assert.ok(at('edit done') >= 0 && at('edit done') < at('store closed'), log.join(', '));
    assert.ok(at('edit done') < at('counts drained'), log.join(', '));
  });

  it("does not hold the turns' after-work behind a hung Teams send: the counts drain as the turns end", async () => {
    // The delivery worker's stop takes all the time it is given (a send hangs). The turns' side
    // goes on meanwhile: drained and finished long before the delivery side gives up.
    const clock = new ManualClock();
    const { log, steps } = recorded((log) => {
      let hooksDone!: () => void;
      const hooks = new Promise<void>((r) => (hooksDone = r));
      return {
        stopDelivery: async (withinMs) => {
          await clock.after(withinMs).elapsed;
          log.push('delivery stopped');
        },
        turnsIdle: [
          turn(async () => {
            log.push('turns idle');
            // A turn ending starts its alert hook, which finishes with no time passing.
            void Promise.resolve().then(() => {
              log.push('hook finished');
              hooksDone();
            });
          }),
        ],
        hooksIdle: () => hooks,
      };
    });
    await clock.runUntil(shutDown(steps, SHUTDOWN_MS, clock));
    const at = (what: string) => log.indexOf(what);
    assert.ok(at('counts drained') < at('delivery stopped'), log.join(', '));
    assert.ok(at('hook finished') < at('delivery stopped'), log.join(', '));
    assert.ok(at('delivery stopped') < at('store closed'), 'the store closes after the delivery side too');
  });

  it('stops the paced work before it waits for the turns: a copy edit waiting for its moment does not hold the drain', async () => {
    // A card's copies wait up to 30 s for their moment under the Teams limits (src/bot/copyPacing.ts);
    // their idle ends at once when the pacing stops, and only then. Not stopped, they would hold the
    // drain to its deadline and wake after the store closed.
    const clock = new ManualClock();
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const { log, steps } = recorded((log) => ({
      stopPacing: () => {
        log.push('pacing stopped');
        stop();
      },
      turnsIdle: [
        turn(async () => {
          await stopped;
          log.push('copies idle');
        }),
      ],
      closeStore: async () => void log.push(`store closed at ${clock.now()}`),
    }));
    await clock.runUntil(shutDown(steps, SHUTDOWN_MS, clock));
    assert.equal(log[0], 'pacing stopped', log.join(', '));
    assert.equal(log.filter((l) => l === 'pacing stopped').length, 1, 'stopped once');
    assert.ok(log.indexOf('copies idle') < log.indexOf('counts drained'), log.join(', '));
    assert.equal(log.at(-1), 'store closed at 0', 'nothing waited for a deadline');
  });

  it('closes the store when the drain ends even when a turn never ends', async () => {
    const clock = new ManualClock();
    const { log, steps } = recorded((log) => ({
      turnsIdle: [turn(() => new Promise<void>(() => undefined))],
      closeStore: async () => void log.push(`store closed at ${clock.now()}`),
    }));
    let failure: unknown;
    await clock.runUntil(shutDown(steps, SHUTDOWN_MS, clock).catch((e: unknown) => (failure = e)));
    const drainEnds = SHUTDOWN_MS - CLOSE_STORE_MS - STOP_INSTANCE_MS - FLUSH_REFERENCES_MS;
    assert.deepEqual(log.slice(-3), ['references flushed', 'instance stopped', `store closed at ${drainEnds}`]);
    assert.ok(log.includes('counts drained'), 'the counts are drained at the deadline at the latest');
    // A turn cut short is work lost (its command never answered): not a clean stop (exit 1, logged).
    assert.match(String(failure), /the turns under way did not finish in time/);
  });

  it('says the alert hooks were cut short when they outlast the drain, and still closes the store', async () => {
    const clock = new ManualClock();
    const { log, steps } = recorded((log) => ({
      hooksIdle: () => new Promise<void>(() => undefined),
      closeStore: async () => void log.push('store closed'),
    }));
    let failure: unknown;
    await clock.runUntil(shutDown(steps, SHUTDOWN_MS, clock).catch((e: unknown) => (failure = e)));
    assert.equal(log.at(-1), 'store closed');
    assert.match(String(failure), /the alert hooks under way did not finish in time/);
    assert.doesNotMatch(String(failure), /turns/, 'the turns did finish');
  });

  it('a request still open at the drain deadline is a turn cut short', async () => {
    const clock = new ManualClock();
    const { steps } = recorded(() => ({ closeServer: () => new Promise<void>(() => undefined) }));
    let failure: unknown;
    await clock.runUntil(shutDown(steps, SHUTDOWN_MS, clock).catch((e: unknown) => (failure = e)));
    assert.match(String(failure), /the requests under way did not finish in time/);
  });

  it('a clean drain resolves: every turn and hook finished', async () => {
    const clock = new ManualClock();
    const { steps } = recorded();
    await clock.runUntil(shutDown(steps, SHUTDOWN_MS, clock));
  });
});

describe('shutdown budget', () => {
  /** Steps that all hang, whatever time they are given; each records when it started (on the
   * test's clock) and the time it was given. */
  function hanging(clock: ManualClock) {
    const started: Record<string, { at: number; withinMs?: number }> = {};
    const hang =
      (name: string) =>
      (withinMs?: number): Promise<void> => {
        started[name] = { at: clock.now(), ...(withinMs !== undefined ? { withinMs } : {}) };
        return new Promise<void>(() => undefined);
      };
    const steps: ShutdownSteps = {
      stopPacing: () => undefined,
      stopDelivery: hang('delivery'),
      closeServer: hang('server'),
      dropConnections: () => undefined,
      turnsIdle: [turn(() => hang('turns')())],
      drainCounts: () => undefined,
      hooksIdle: () => hang('hooks')(),
      flushReferences: hang('flush'),
      stopInstance: () => hang('instance')(),
      closeStore: () => hang('store')(),
    };
    return { steps, started };
  }

  it('every step hanging, each after the drain still gets its share and the whole ends by its deadline, before the forced exit', async () => {
    const clock = new ManualClock();
    const { steps, started } = hanging(clock);
    let failure: unknown;
    const ended = await clock.runUntil(shutDown(steps, SHUTDOWN_MS, clock).catch((e: unknown) => (failure = e)));
    assert.equal(ended, SHUTDOWN_MS, 'the shutdown ended at its deadline');
    assert.ok(SHUTDOWN_MS < FORCED_EXIT_MS, 'the deadline leaves the process time to log and exit by itself');
    // Counted back from the deadline: the store's close, the instance's, the flush, then the drain.
    const storeFrom = SHUTDOWN_MS - CLOSE_STORE_MS;
    const instanceFrom = storeFrom - STOP_INSTANCE_MS;
    const flushFrom = instanceFrom - FLUSH_REFERENCES_MS;
    assert.deepEqual(started['delivery'], { at: 0, withinMs: flushFrom }, 'the delivery side is given the drain');
    assert.deepEqual(started['flush'], { at: flushFrom, withinMs: FLUSH_REFERENCES_MS });
    assert.deepEqual(started['instance'], { at: instanceFrom });
    assert.deepEqual(started['store'], { at: storeFrom }, 'the store is closed with its share of the time left');
    // Not a clean stop: the steps that could not finish are named.
    assert.match(String(failure), /references flush did not finish in time/);
    assert.match(String(failure), /liveness did not finish in time/);
    assert.match(String(failure), /closing the state store did not finish in time/);
  });

  it('a step after the drain that fails leaves the store closed, and the failure is reported', async () => {
    const clock = new ManualClock();
    const { log, steps } = recorded(() => ({
      stopInstance: async () => {
        throw new Error('the heartbeat could not be deleted');
      },
    }));
    let failure: unknown;
    await clock.runUntil(shutDown(steps, SHUTDOWN_MS, clock).catch((e: unknown) => (failure = e)));
    assert.equal(log.at(-1), 'store closed');
    assert.match(String(failure), /ending the instance's liveness failed/);
  });
});
