// The outbox's polling loop, apart from what is done with a row: takes the next due row under a
// lease while fewer than `concurrency` are being worked, naps `pollMs` when none is due (or until
// `kick()`), and on stop takes no new rows, lets the work under way finish up to a deadline, then
// aborts it through `signal` (the rows go back to the outbox for the next instance).

import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { Lease } from '../state/port';
import { OutageLog } from './outageLog';

type Row = Lease<{ readonly eventId: string }>;

export interface OutboxLoopOptions {
  /** The next due row, leased; null when none is due. */
  readonly lease: () => Promise<Row | null>;
  /** Gives a row back unworked, due at once (one leased while the loop was being stopped). */
  readonly giveBack: (row: Row) => Promise<unknown>;
  /** Works one row; `stop` aborts it for shutdown. A rejection is logged, never thrown. */
  readonly handle: (row: Row, stop: AbortSignal) => Promise<void>;
  readonly logger: Logger;
  readonly pollMs: number;
  /** Rows worked at once in this process. */
  readonly concurrency: number;
  /** The clock of the lease failures' log lines (OutageLog). */
  readonly now?: () => number;
}

/** After stop()'s deadline, how long the aborted work may take to give its rows back: part of
 * the time a caller with a deadline of its own must leave (src/app.ts). */
export const ABORT_GRACE_MS = 500;

class ShutdownAbort extends Error {
  constructor() {
    super('delivery stopped for shutdown');
  }
}

export class OutboxLoop {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private wake: (() => void) | null = null;
  /** A kick that came while the loop was busy: the next nap returns at once. */
  private kicked = false;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private stopped!: () => void;
  private readonly whenStopped = new Promise<void>((r) => (this.stopped = r));
  /** A store outage fails every poll: logged once, then once a minute, not twice a second. */
  private readonly leaseFailures: OutageLog;

  constructor(private readonly opts: OutboxLoopOptions) {
    this.leaseFailures = new OutageLog({
      logger: opts.logger,
      event: 'notification.outbox',
      what: 'the outbox could not be read',
      now: opts.now ?? Date.now,
    });
    // Every row under way (up to `concurrency`, more than ten) listens for shutdown on this one
    // signal, through its waits and sends: not a leak, so Node's warning past ten is turned off.
    setMaxListeners(0, this.shutdown.signal);
  }

  /** Aborted when stop() gives up waiting for the work under way. */
  get signal(): AbortSignal {
    return this.shutdown.signal;
  }

  /** Starts polling the outbox (rows queued before a restart included). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Looks at the outbox now (a row was just queued). */
  kick(): void {
    if (this.wake) this.wake();
    else this.kicked = true;
  }

  /** Takes no new rows; lets the work under way finish up to `deadlineMs`, then aborts it and
   * waits at most ABORT_GRACE_MS more. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    this.stopped();
    this.kick();
    // The deadline counts from now, not from when the loop next looks up: it may be inside a lease
    // call (on Azure up to several queue calls, each with its own deadline), and the work under
    // way must still be aborted on time so its rows and claims are given back before the store
    // closes. A row that lease call brings is given back unworked (run()).
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((r) => (timer = setTimeout(r, deadlineMs)));
    await Promise.race([this.loop, expired]);
    if (this.inFlight.size > 0) await Promise.race([Promise.allSettled([...this.inFlight]), expired]);
    clearTimeout(timer);
    if (this.inFlight.size === 0) return;
    this.shutdown.abort(new ShutdownAbort());
    // An aborted send only has its row given back: a short wait, never an unbounded one.
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => setTimeout(r, ABORT_GRACE_MS).unref()),
    ]);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (this.inFlight.size >= this.opts.concurrency) {
        await Promise.race([...this.inFlight, this.whenStopped]);
        continue;
      }
      let row: Row | null = null;
      try {
        row = await this.opts.lease();
        this.leaseFailures.succeeded();
      } catch (e) {
        this.leaseFailures.failed(e);
      }
      if (!row) {
        await this.nap();
        continue;
      }
      if (this.stopping) {
        // Leased while stop() ran: nobody would wait for its work, so the next instance takes it.
        await this.opts
          .giveBack(row)
          .catch((e: unknown) =>
            this.opts.logger.warn(
              { err: e, event: 'notification.outbox.giveBackFailed', eventId: row.payload.eventId },
              'a row leased during shutdown could not be given back; it returns when its lease ends',
            ),
          );
        break;
      }
      const eventId = row.payload.eventId;
      const task: Promise<void> = this.opts
        .handle(row, this.shutdown.signal)
        .catch((e: unknown) =>
          this.opts.logger.error({ err: e, event: 'notification.delivery.failed', eventId }, 'delivery failed'),
        )
        .finally(() => {
          this.inFlight.delete(task);
          this.kick();
        });
      this.inFlight.add(task);
    }
  }

  /** Waits for the poll interval, a kick or stop. */
  private nap(): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.opts.pollMs);
      timer.unref();
      this.wake = done;
    });
  }
}
