// The order a stopping instance closes in, under one overall deadline. Two things go side by side:
// the delivery worker finishing (or giving back) the sends under way, and the chain that ends the
// turns and then what they started: every turn under way finishes, the digest's gathering counts
// are drained (written now rather than at the end of their window), then the alert hooks the last
// turns started (alert, count, waiting list) finish. Work paced under the Teams limits (a card's
// copies) is stopped before all that: it would wait for moments this instance will not see. Then
// the message turns still under way that sent nothing are given up (their duplicate marks given
// back, so Teams' redelivery runs them elsewhere), and only then are the connections still open
// cut (a redelivery Teams sends when one fails must find the mark gone). Then the references are
// flushed, the instance's liveness ended and the store closed. A hung Teams send holds the delivery side until
// the drain's deadline, never the chain: the hooks get whatever time the turns left them.
//
// Every step's deadline is derived from the one overall deadline, counting back from its end: the
// store's close always keeps its share, then the instance's, then the references' flush, and the
// drain gets the rest. A step that hangs is left behind at its deadline, so the whole shutdown ends
// by the overall deadline whatever hangs, and that is under the forced exit: the store has been
// given its close, and the process logs how it stopped and exits on its own.

/** The process is gone by then whatever hangs (src/index.ts arms the timer at SIGTERM). Kubernetes
 * and Container Apps wait 30 s by default before they kill it; App Service only 5 s unless
 * WEBSITES_CONTAINER_STOP_TIME_LIMIT says more, which infra/azure.bicep sets to 30. */
export const FORCED_EXIT_MS = 9500;
/** The whole shutdown, every step included; the margin under FORCED_EXIT_MS is for the last log
 * line and the exit itself. */
export const SHUTDOWN_MS = 9000;
/** Kept out of the overall deadline for the steps after the drain. Closing SQLite is one
 * synchronous call (a WAL checkpoint at most); ending the liveness is one delete; the flush is
 * bounded by what it is given (src/state/references.ts FLUSH_WITHIN_MS is the same second). */
export const CLOSE_STORE_MS = 500;
export const STOP_INSTANCE_MS = 500;
export const FLUSH_REFERENCES_MS = 1000;

export interface ShutdownSteps {
  /** Sends under way finish or go back to the outbox, within the time given. */
  readonly stopDelivery: (withinMs: number) => Promise<void>;
  /** No new connections; resolves when the server has closed: every request under way answered. */
  readonly closeServer: () => Promise<void>;
  /** Called first: from now on no work waits for its moment under the Teams limits (the edits of a
   * card's copies, up to 30 s away): what waits is given up now, while the store is open, rather
   * than waking after it closed. Nor does a token exchange for another instance's (it answers now). */
  readonly stopPacing: () => void;
  /** Cuts the connections still open once the server has closed or the deadline passed, after the
   * turns cut short gave back their marks (giveUpTurns). */
  readonly dropConnections: () => void;
  /** Each resolves when the work of its kind under way has finished (turns, card actions, …);
   * `what` names that work where the stop reports it cut short ("the turns under way"). */
  readonly turnsIdle: ReadonlyArray<{ readonly what: string; readonly idle: () => Promise<void> }>;
  /** From now on, no count waits for its window (the digest). */
  readonly drainCounts: () => void;
  /** Resolves when every alert hook started so far has finished. */
  readonly hooksIdle: () => Promise<void>;
  // Then, in this order, once the above are done or their deadline passed:
  /** Gives up the message turns still under way that have not started their write, and gives back
   * their duplicate marks, so Teams' redelivery of them runs on another instance (TurnDedup.giveUp). */
  readonly giveUpTurns?: () => Promise<unknown>;
  /** Writes the captured references not yet stored, within the time given. */
  readonly flushReferences: (withinMs: number) => Promise<void>;
  /** Ends this instance's liveness (its heartbeat), so its claims are known free at once. */
  readonly stopInstance: () => Promise<void>;
  /** Closes the state store: always called, with at least CLOSE_STORE_MS of the deadline left. */
  readonly closeStore: () => Promise<void>;
}

/** The time and the timers the deadlines are kept with (tests move a clock of their own). */
export interface ShutdownClock {
  readonly now: () => number;
  /** Resolves after `ms`; `cancel` lets the timer go when the work ended first. */
  readonly after: (ms: number) => { readonly elapsed: Promise<void>; readonly cancel: () => void };
}

const realClock: ShutdownClock = {
  now: () => Date.now(),
  after: (ms) => {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<void>((r) => (timer = setTimeout(r, ms)));
    return { elapsed, cancel: () => clearTimeout(timer) };
  },
};

/** When each step must be done by, counted back from the overall deadline `until`. */
function shutdownDeadlines(until: number): {
  readonly drain: number;
  readonly flush: number;
  readonly instance: number;
  readonly store: number;
} {
  const instance = until - CLOSE_STORE_MS;
  const flush = instance - STOP_INSTANCE_MS;
  return { drain: flush - FLUSH_REFERENCES_MS, flush, instance, store: until };
}

/** Closes in the order above, by `deadlineMs` from now whatever hangs. Rejects (once every step
 * has had its turn) when the turns, the requests or the alert hooks were still under way at the
 * drain's deadline, or a step after the drain failed or did not finish in time: the process then
 * says it did not stop cleanly. */
export async function shutDown(
  steps: ShutdownSteps,
  deadlineMs: number = SHUTDOWN_MS,
  clock: ShutdownClock = realClock,
): Promise<void> {
  const by = shutdownDeadlines(clock.now() + deadlineMs);
  // Before any wait for the turns' work: a paced copy edit would hold its idle to the drain's end.
  try {
    steps.stopPacing();
  } catch {
    // Not stopped: what it paces is waited for like the rest, within the drain's deadline.
  }
  const left = (deadline: number): number => Math.max(0, deadline - clock.now());
  const bounded = (work: () => Promise<unknown>, deadline: number): Promise<Settled> =>
    settledWithin(started(work), left(deadline), clock);
  const closed = started(steps.closeServer);
  // What the drain left unfinished at its deadline: work cut short (a command never answered, an
  // alert or a count never written), so the stop is not a clean one even though it ended on time.
  // The delivery side is not among them: a send it cut short goes back to the outbox.
  const problems: string[] = [];
  const turnsThenHooks = async (): Promise<void> => {
    // The requests under way are turns too: the server has closed once the last is answered, and
    // each may start an alert hook as it ends (its audit), which the hooks' wait must see.
    await Promise.all([
      settledWithin(closed, left(by.drain), clock),
      ...steps.turnsIdle.map(({ idle }) => bounded(idle, by.drain)),
    ]);
    // A request answered during that wait may have left work behind it (a card's edit for
    // everyone runs after the click's answer), started after its kind's idle had already ended:
    // asked again, each waits for what the last requests and the other kinds started.
    const kinds = await Promise.all(steps.turnsIdle.map(({ idle }) => bounded(idle, by.drain)));
    // Each kind by its own name: a reference write still running is not a command cut short.
    steps.turnsIdle.forEach(({ what }, i) => {
      if (kinds[i] === 'late') problems.push(`${what} did not finish in time`);
    });
    steps.drainCounts();
    if ((await bounded(steps.hooksIdle, by.drain)) === 'late')
      problems.push('the alert hooks under way did not finish in time');
  };
  await Promise.all([
    // Bounded here too: a stopper that overruns the time it was given must not hold the rest.
    bounded(() => steps.stopDelivery(left(by.drain)), by.drain),
    settledWithin(closed, left(by.drain), clock).then((settled) => {
      // A request still unanswered: its connection is cut below, and its turn with it.
      if (settled === 'late') problems.push('the requests under way did not finish in time');
    }),
    turnsThenHooks(),
  ]);
  let cause: unknown;
  const closing = async (what: string, work: () => Promise<unknown>, deadline: number): Promise<void> => {
    const settled = await bounded(work, deadline);
    if (settled === 'late') problems.push(`${what} did not finish in time`);
    else if (settled !== 'done') {
      problems.push(`${what} failed`);
      cause ??= settled.failed;
    }
  };
  // Turns still under way now are cut short: those that sent nothing give their marks back.
  const giveUp = steps.giveUpTurns;
  if (giveUp) await closing('giving back the marks of the turns cut short', giveUp, by.flush);
  // Only then the connections still open: Teams may deliver a message again as soon as its request
  // fails, and on another instance that redelivery would be dropped while its mark was still held.
  try {
    steps.dropConnections();
  } catch (e) {
    problems.push('cutting the connections still open failed');
    cause ??= e;
  }
  await closing('the references flush', () => steps.flushReferences(left(by.flush)), by.flush);
  await closing("ending the instance's liveness", steps.stopInstance, by.instance);
  await closing('closing the state store', steps.closeStore, by.store);
  if (problems.length > 0) throw new Error(`shutdown incomplete: ${problems.join('; ')}`, { cause });
}

/** How a bounded wait ended: the work finished, failed (its error), or was still under way. */
type Settled = 'done' | 'late' | { readonly failed: unknown };

/** Waits for `work`, but never longer than `ms`. */
async function settledWithin(work: Promise<unknown>, ms: number, clock: ShutdownClock): Promise<Settled> {
  const timer = clock.after(ms);
  const settled = await Promise.race([
    work.then(
      () => 'done' as const,
      (e: unknown) => ({ failed: e }),
    ),
    timer.elapsed.then(() => 'late' as const),
  ]);
  timer.cancel();
  return settled;
}

/** Waits for `work`, but never longer than `ms`; a failure of `work` is not this wait's. */
export async function withDeadline(
  work: Promise<unknown>,
  ms: number,
  clock: ShutdownClock = realClock,
): Promise<void> {
  await settledWithin(work, ms, clock);
}

/** The step's promise, with a synchronous throw turned into a rejection (the next steps still run). */
function started(step: () => Promise<unknown>): Promise<unknown> {
  try {
    return step();
  } catch (e) {
    return Promise.reject(e);
  }
}
