// How fast the other copies of a clicked card are edited. Teams counts an update of a message
// against the same limits as a send ("All requests are subject to the same rate limiting policy",
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit): per bot per
// thread 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour, and 30 per second per app per tenant.
// A card may have up to 200 copies (alerts/itemCopies.ts): each update takes its moment from the
// send scheduler every instance shares with the delivery worker (alerts/rateLimits.ts), leaving
// room (COPY_HEADROOM) for the edits a person waits for, the clicked card's own among them, which
// are not scheduled. A click's copies get COPY_BUDGET_MS: an update whose moment would fall later
// is not made. Its card stays recorded as the copy's newest (state/cardEditLog.ts), so the next
// edit of that copy (a click on it, a later stage) sends it; the click logs how many were left.
// When the instance stops, the updates still waiting for their moment are given up the same way
// (stop()): waking later, they would run after the store closed.

import { setMaxListeners } from 'node:events';
import { Headroom, SendScheduler } from '../alerts/rateLimits';
import { Clock } from '../domain/clock';
import { classifySendError } from '../notifications/delivery';
import { holdOnThrottle } from '../notifications/scheduledSlot';

/** Left free by copy updates in each window: one per thread, a third of the tenant's 30 per second. */
export const COPY_HEADROOM: Headroom = { thread: 1, tenant: 10 };
/** A click's copies are updated within this: 200 copies in as many channels need 10 s at 20 per
 * second; the rest is for the delivery worker's sends sharing the tenant's windows. */
export const COPY_BUDGET_MS = 30_000;
/** Woken more than twice the scheduler's margin after its moment (a busy process), an update is
 * given a new moment, at most this many times: it could reach Teams together with later ones and
 * break a window (as a send's, scheduledSlot.ts). */
const LATE_RESERVATIONS = 3;

export interface CopyPacingOptions {
  readonly scheduler: SendScheduler;
  /** The tenant of references that name none. */
  readonly tenantId: string;
  readonly clock: Clock;
  readonly budgetMs?: number;
}

/** Where one update of a copy goes: its tenant (as its reference names it) and its thread. */
export interface CopyThread {
  readonly tenantId: string | undefined;
  readonly threadId: string;
}

/** What became of an update's wait: it goes, no moment was free in time, or the pacing stopped. */
export type Moment = 'go' | 'late' | 'stopped';

export class CopyPacing {
  /** Aborted when the instance stops: no update waits for its moment after that. */
  private readonly stopping = new AbortController();
  /** Reservations one at a time, in the order asked: the copies of a click go in their listed
   * order, and do not race one another on the tenant's shared record. */
  private line: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: CopyPacingOptions) {
    // Every update waiting for its moment listens for the stop: hundreds at once (a click's 200
    // copies, and other clicks'), none of them a leak.
    setMaxListeners(0, this.stopping.signal);
  }

  /** The updates of one click's copies, due by the end of its budget. */
  round(): CopyRound {
    return new CopyRound(this, this.opts.clock.now() + (this.opts.budgetMs ?? COPY_BUDGET_MS));
  }

  /** The instance is stopping: every update still waiting wakes now, not sent (its moment given
   * back while the store is open), and none asked for from now on waits. */
  stop(): void {
    this.stopping.abort();
  }

  /** Reserves the update's moment and waits for it: 'late' when no moment before `deadline` is
   * free, 'stopped' when the pacing stopped first (nothing is then held). */
  async take(where: CopyThread, deadline: number): Promise<Moment> {
    const { scheduler, clock } = this.opts;
    const { signal } = this.stopping;
    const tenant = where.tenantId ?? this.opts.tenantId;
    const late = Math.max(2 * scheduler.marginMs, 10);
    for (let attempt = 0; ; attempt++) {
      const reserved = this.line.then(() =>
        signal.aborted ? null : scheduler.reserve(tenant, where.threadId, COPY_HEADROOM),
      );
      this.line = reserved.catch(() => undefined);
      const at = await reserved;
      if (at === null) return 'stopped';
      if (at > deadline) {
        await scheduler.release(tenant, where.threadId, at);
        return 'late';
      }
      await clock.sleep(at - clock.now(), signal);
      if (signal.aborted) {
        // Not sent, so its moment is free again for the other instances (the store is still open:
        // shutdown stops the pacing before it waits for the copies). A release that fails only
        // leaves the moment held until it passes.
        await scheduler.release(tenant, where.threadId, at).catch(() => undefined);
        return 'stopped';
      }
      if (clock.now() - at <= late || attempt >= LATE_RESERVATIONS) return 'go';
      await scheduler.release(tenant, where.threadId, at);
    }
  }

  /** A 429 on an update holds its thread, for every instance, until Teams' Retry-After. */
  async failed(where: CopyThread, error: unknown): Promise<void> {
    const now = this.opts.clock.now();
    const tenant = where.tenantId ?? this.opts.tenantId;
    await holdOnThrottle(this.opts.scheduler, tenant, where.threadId, classifySendError(error, now), now);
  }
}

/** How many of a round's copies were not edited: no moment within its time, or the pacing stopped. */
export interface LeftOver {
  readonly late: number;
  readonly stopped: number;
}

/** One click's copy updates: their moments, and how many were left (late or stopped). */
export class CopyRound {
  private readonly taking: Array<Promise<Moment>> = [];
  private late = 0;
  private stopped = 0;

  constructor(
    private readonly pacing: CopyPacing,
    readonly deadline: number,
  ) {}

  /** Waits for the moment of an update of a copy: 'late' or 'stopped' are counted. */
  take(where: CopyThread): Promise<Moment> {
    const taken = this.pacing.take(where, this.deadline).then((moment) => {
      if (moment === 'late') this.late += 1;
      if (moment === 'stopped') this.stopped += 1;
      return moment;
    });
    this.taking.push(taken);
    return taken;
  }

  /** Another update of a copy in the same turn (a newer card recorded meanwhile): its own moment,
   * not counted (its copy's first update was made). */
  again(where: CopyThread): Promise<Moment> {
    return this.pacing.take(where, this.deadline);
  }

  failed(where: CopyThread, error: unknown): Promise<void> {
    return this.pacing.failed(where, error);
  }

  /** How many copies were left unedited, once every moment asked for so far is decided. */
  async leftOver(): Promise<LeftOver> {
    await Promise.allSettled(this.taking);
    return { late: this.late, stopped: this.stopped };
  }
}
