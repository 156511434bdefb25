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

export class CopyPacing {
  /** Reservations one at a time, in the order asked: the copies of a click go in their listed
   * order, and do not race one another on the tenant's shared record. */
  private line: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: CopyPacingOptions) {}

  /** The updates of one click's copies, due by the end of its budget. */
  round(): CopyRound {
    return new CopyRound(this, this.opts.clock.now() + (this.opts.budgetMs ?? COPY_BUDGET_MS));
  }

  /** Reserves the update's moment and waits for it: true to go, false when no moment before
   * `deadline` is free (nothing is then held). */
  async take(where: CopyThread, deadline: number): Promise<boolean> {
    const { scheduler, clock } = this.opts;
    const tenant = where.tenantId ?? this.opts.tenantId;
    const late = Math.max(2 * scheduler.marginMs, 10);
    for (let attempt = 0; ; attempt++) {
      const reserved = this.line.then(() => scheduler.reserve(tenant, where.threadId, COPY_HEADROOM));
      this.line = reserved.catch(() => undefined);
      const at = await reserved;
      if (at > deadline) {
        await scheduler.release(tenant, where.threadId, at);
        return false;
      }
      await clock.sleep(at - clock.now());
      if (clock.now() - at <= late || attempt >= LATE_RESERVATIONS) return true;
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

/** One click's copy updates: their moments, and how many found none within the budget. */
export class CopyRound {
  private readonly taking: Array<Promise<boolean>> = [];
  private left = 0;

  constructor(
    private readonly pacing: CopyPacing,
    readonly deadline: number,
  ) {}

  /** Waits for the moment of an update of a copy: false (counted) when none is free in time. */
  take(where: CopyThread): Promise<boolean> {
    const taken = this.pacing.take(where, this.deadline).then((go) => {
      if (!go) this.left += 1;
      return go;
    });
    this.taking.push(taken);
    return taken;
  }

  /** Another update of a copy in the same turn (a newer card recorded meanwhile): its own moment,
   * not counted (its copy's first update was made). */
  again(where: CopyThread): Promise<boolean> {
    return this.pacing.take(where, this.deadline);
  }

  failed(where: CopyThread, error: unknown): Promise<void> {
    return this.pacing.failed(where, error);
  }

  /** How many copies were left unedited, once every moment asked for so far is decided. */
  async leftOver(): Promise<number> {
    await Promise.allSettled(this.taking);
    return this.left;
  }
}
