// Writing the outcome of a card Teams accepted. The post is remembered only in this process
// (RememberedPosts), and the claim on the event ends leaseMs after it was taken: a row left to come
// back after a failed write could be taken by any instance, which would find the event still
// queued with its claim expired and post the card a second time. So the write is tried again while
// this handling keeps the row, its lease renewed before each try (no other instance can take it
// meanwhile). The failure goes up, the post still remembered for the row's next pass, only after
// the last try, when the row cannot be kept (its lease lost, or the queue out too) or at shutdown.

import { DeliveryOutcome } from './records';
import { Row } from './sendClaim';
import { sleepUntil } from './sleepUntil';
import { NotificationStore } from './store';

/** Writes of one outcome at most, the first included. */
export const OUTCOME_WRITE_TRIES = 5;

/** The wait after failed write n (1-based): 0.5, 1, 2, 4 s. */
export const outcomeRetryDelay = (failed: number): number => Math.min(8_000, 500 * 2 ** (failed - 1));

export interface OutcomeWriteContext {
  readonly store: NotificationStore;
  readonly leaseMs: number;
  /** Aborted at shutdown: no more tries (the store is about to close). */
  readonly signal: AbortSignal;
  readonly retryMs: (failed: number) => number;
}

/** `store.finish` of a posted card's outcome, tried again as above: whether this call settled the
 * record, and the row as held now (a renewed lease carries a new receipt on Azure). */
export async function writeOutcome(
  ctx: OutcomeWriteContext,
  row: Row,
  outcome: DeliveryOutcome,
  attempts: number,
  at: number,
): Promise<{ readonly settled: boolean; readonly row: Row }> {
  const eventId = row.payload.eventId;
  let held = row;
  for (let failed = 1; ; failed++) {
    try {
      return { settled: await ctx.store.finish(eventId, outcome, attempts, at), row: held };
    } catch (e) {
      if (failed >= OUTCOME_WRITE_TRIES || ctx.signal.aborted) throw e;
      const waited = await sleepUntil(Date.now() + ctx.retryMs(failed), Date.now, ctx.signal).then(
        () => true,
        () => false,
      );
      if (!waited) throw e;
      // A lost lease: whoever holds the row now takes the event over; a failed renewal goes up.
      const renewed = await ctx.store.outbox.extend(held, ctx.leaseMs);
      if (!renewed) throw e;
      held = renewed;
    }
  }
}
