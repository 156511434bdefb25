// Keeps checking, on every running instance, that the periodic row (periodicRow.ts) is still there.
// Only `ensure()` queues a row, and a start alone used to call it: a named row lost while every
// instance runs (completed by an instance of the previous release, which completed any `@alerts:`
// row it did not know; a queue emptied) was replaced only by some later restart, and reminders, the
// digest and the sweep stopped until then. A check is one record read; once the named row has been
// silent too long it queues and names a new one, by a conditional write, so instances that check at
// the same moment still leave one live row.

export interface PeriodicWatchOptions {
  /** Queues and names a row when none live is named (PeriodicRow.ensure). */
  readonly check: () => Promise<void>;
  readonly everyMs: number;
  /** A failed check on the timer: reported here, and the next one tries again. */
  readonly onError: (e: unknown) => void;
  /** Calls `check` every `ms` until the returned function is called (tests call it by hand). */
  readonly every?: (check: () => Promise<void>, ms: number) => () => void;
}

export class PeriodicWatch {
  private cancel: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly opts: PeriodicWatchOptions) {}

  /** Checks now (rejects when this check fails) and then every `everyMs` until stop(). */
  start(): Promise<void> {
    this.cancel ??= (this.opts.every ?? unrefEvery)(() => this.checkNow().catch(this.opts.onError), this.opts.everyMs);
    return this.checkNow();
  }

  /** No more checks; resolves once a check under way has finished (the store closes after). */
  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = null;
    await this.running?.catch(() => undefined);
  }

  /** One check at a time: a slow store never piles them up. */
  private checkNow(): Promise<void> {
    this.running ??= this.opts.check().finally(() => (this.running = null));
    return this.running;
  }
}

/** An interval that never keeps the process alive on its own. */
export function unrefEvery(check: () => Promise<void>, ms: number): () => void {
  const timer = setInterval(() => void check(), ms);
  timer.unref();
  return () => clearInterval(timer);
}
