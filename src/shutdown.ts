// The order a stopping instance closes in, under one deadline. Two things go side by side: the
// delivery worker finishing (or giving back) the sends under way, and the chain that ends the
// turns and then what they started: every turn under way finishes, the digest's gathering counts
// are drained (written now rather than at the end of their window), then the alert hooks the last
// turns started (alert, count, waiting list) finish. Only then are the references flushed, the
// instance's liveness ended and the store closed. A hung Teams send holds the delivery side until
// the deadline, never the chain: the hooks get whatever time the turns left them.

export interface ShutdownSteps {
  /** Sends under way finish or go back to the outbox, within the time given. */
  readonly stopDelivery: (withinMs: number) => Promise<void>;
  /** No new connections; resolves when the server has closed. */
  readonly closeServer: () => Promise<void>;
  /** Cuts the connections still open once the server has closed or the deadline passed. */
  readonly dropConnections: () => void;
  /** Each resolves when the work of that kind under way has finished (turns, card actions, …). */
  readonly turnsIdle: ReadonlyArray<() => Promise<void>>;
  /** From now on, no count waits for its window (the digest). */
  readonly drainCounts: () => void;
  /** Resolves when every alert hook started so far has finished. */
  readonly hooksIdle: () => Promise<void>;
  /** Then, in this order, once the above are done or the deadline passed. */
  readonly finally: ReadonlyArray<() => Promise<void>>;
}

export async function shutDown(steps: ShutdownSteps, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  const left = (): number => Math.max(0, until - Date.now());
  const closed = steps.closeServer();
  const turnsThenHooks = async (): Promise<void> => {
    await Promise.all(steps.turnsIdle.map((idle) => withDeadline(idle(), left())));
    steps.drainCounts();
    await withDeadline(steps.hooksIdle(), left());
  };
  await Promise.all([
    steps.stopDelivery(left()),
    withDeadline(closed, left()).then(steps.dropConnections),
    turnsThenHooks(),
  ]);
  for (const step of steps.finally) await step();
}

/** Waits for `work`, but never longer than `ms`. */
export async function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
