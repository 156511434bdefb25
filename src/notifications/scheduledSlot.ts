// One send's moment under the shared send scheduler (alerts/rateLimits.ts, Teams' per-thread and
// per-tenant limits held in the state every instance uses): how both kinds of proactive sends take
// it, a direct notification (directSlots.ts) and a channel alert (fanoutWorker.ts), and what a 429
// does to it. https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit

import type { Logger } from 'pino';
import { SendScheduler } from '../alerts/rateLimits';
import { SendFailure } from './delivery';
import { sleepUntil } from './sleepUntil';

/** The send may go now (at its reserved moment `at`), or must wait `ms` first with nothing held. */
export type ScheduledSlot =
  { readonly kind: 'go'; readonly at: number } | { readonly kind: 'later'; readonly ms: number };

export interface SlotWait {
  readonly now: () => number;
  /** Shutdown: the wait rejects and the reservation is given back. */
  readonly stop: AbortSignal;
  /** A moment further away than this is given back: the row waits in the outbox, not in a process. */
  readonly maxWaitMs: number;
}

/** How many times a send that woke too late reserves again before it goes anyway. */
const LATE_RESERVATIONS = 5;

/** Reserves the send's moment and waits for it. A send that wakes much later than its moment (a
 * busy process) could reach Teams together with later sends and break a window: its moment is
 * given back and another reserved. Up to twice the margin late is let go: the sends are spaced
 * evenly, so that rarely costs a 429 (retried, never lost), while re-reserving every slightly late
 * send costs throughput; after a few late wakes it goes anyway. Never before the moment. */
export async function waitForSlot(
  scheduler: SendScheduler,
  tenantId: string,
  threadId: string,
  wait: SlotWait,
): Promise<ScheduledSlot> {
  const late = Math.max(2 * scheduler.marginMs, 10);
  for (let attempt = 0; ; attempt++) {
    const at = await scheduler.reserve(tenantId, threadId);
    const ms = at - wait.now();
    if (ms > wait.maxWaitMs) {
      await scheduler.release(tenantId, threadId, at);
      return { kind: 'later', ms };
    }
    try {
      await sleepUntil(at, wait.now, wait.stop);
    } catch (e) {
      await scheduler.release(tenantId, threadId, at);
      throw e;
    }
    if (wait.now() - at <= late || attempt >= LATE_RESERVATIONS) return { kind: 'go', at };
    await scheduler.release(tenantId, threadId, at);
  }
}

/** Teams said this thread is over its limit (429): no instance sends there before its
 * Retry-After, or, without one, before the sender's own backoff (`backoffMs`, the delay its retry
 * waits) has passed: "Otherwise, retry using exponential backoff with thread ID, if possible"
 * (https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis),
 * so the thread's other sends wait with it instead of going into the throttle one after another.
 * Teams' answer does not say which limit was hit, so the thread is held, not the tenant. Any other
 * failure holds nothing, nor a 429 without Retry-After from a sender that does not retry. */
export async function holdOnThrottle(
  scheduler: SendScheduler,
  tenantId: string,
  threadId: string,
  failure: SendFailure,
  now: number,
  backoffMs?: number,
): Promise<void> {
  if (failure.kind !== 'retry' || failure.status !== 429) return;
  const holdMs = failure.afterMs ?? backoffMs;
  if (holdMs !== undefined) await scheduler.hold(tenantId, threadId, now + holdMs);
}

/** What a hold that could not be written does: it is pacing, not the send's outcome, so the caller
 * goes on to record the failed send and its retry; the next 429 holds the thread again. */
export function holdNotWritten(logger: Pick<Logger, 'warn'>, threadId: string): (e: unknown) => void {
  return (e) =>
    logger.warn(
      { event: 'sends.hold.failed', threadId, err: (e as Error | null)?.name },
      'the conversation could not be held after a 429',
    );
}
