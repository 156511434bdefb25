// Writing the outcome of a card Teams accepted. The post is remembered only in this process
// (RememberedPosts), and the claim on the event ends leaseMs after it was taken: a row left to come
// back after a failed write, or another row of the event (a second message on Azure, a duplicate
// POST) once the claim expired, could be taken by any instance, which would find the event still
// queued with no live claim and post the card a second time. So the write is tried again while
// this handling keeps the row and the claim, both renewed before each try (no other instance can
// take either meanwhile): the send and up to OUTCOME_WRITE_TRIES writes against a failing store,
// with their waits, outlast one claim. The failure goes up, the post still remembered for the
// row's next pass, only after the last try, when the row or the claim cannot be kept (the lease
// lost, the claim taken by another holder, the queue or the store out too) or at shutdown.

import { DeliveryOutcome } from './records';
import { Row } from './sendClaim';
import { sleepUntil } from './sleepUntil';
import { NotificationStore } from './store';

/** A send's outcome not yet written, remembered in this process (RememberedPosts) so the row's next
 * pass writes it instead of sending again: a posted card's, or one that may have posted (a 500, an
 * answer without a message id), with the sends counted and the claim it was sent under. */
export type SentOutcome = DeliveryOutcome & { readonly attempts: number; readonly holder: string };

/** Writes of one outcome at most, the first included. */
export const OUTCOME_WRITE_TRIES = 5;

/** The wait after failed write n (1-based): 0.5, 1, 2, 4 s. */
export const outcomeRetryDelay = (failed: number): number => Math.min(8_000, 500 * 2 ** (failed - 1));

export interface OutcomeWriteContext {
  readonly store: NotificationStore;
  /** How long a renewed lease, and a renewed claim, hold. */
  readonly leaseMs: number;
  /** The workers' clock (the one claims are taken on). */
  readonly now: () => number;
  /** Aborted at shutdown: no more tries (the store is about to close). */
  readonly signal: AbortSignal;
  readonly retryMs: (failed: number) => number;
}

/** The row and the send claim a posted card's outcome is written under. */
export interface OutcomeHolder {
  readonly row: Row;
  /** The holder of the claim the card was sent under. */
  readonly holder: string;
}

/** `store.finish` of a posted card's outcome, tried again as above: whether this call settled the
 * record, and the row as held now (a renewed lease carries a new receipt on Azure). */
export async function writeOutcome(
  ctx: OutcomeWriteContext,
  held: OutcomeHolder,
  outcome: DeliveryOutcome,
  attempts: number,
  at: number,
): Promise<{ readonly settled: boolean; readonly row: Row }> {
  const eventId = held.row.payload.eventId;
  let row = held.row;
  for (let failed = 1; ; failed++) {
    try {
      return { settled: await ctx.store.finish(eventId, outcome, attempts, at), row };
    } catch (e) {
      if (failed >= OUTCOME_WRITE_TRIES || ctx.signal.aborted) throw e;
      const waited = await sleepUntil(Date.now() + ctx.retryMs(failed), Date.now, ctx.signal).then(
        () => true,
        () => false,
      );
      if (!waited) throw e;
      // A lost lease: whoever holds the row now takes the event over; a failed renewal goes up.
      const renewed = await ctx.store.outbox.extend(row, ctx.leaseMs);
      if (!renewed) throw e;
      row = renewed;
      // The claim too, or another row of the event could take it once it expires and post again.
      // Another holder took it (it expired first) and may be sending: that holder takes the event
      // over, and this post stays remembered for the row's next pass. A record settled meanwhile
      // (the failed write stored after all) needs no claim: the next write finds it settled.
      if ((await ctx.store.renewClaim(eventId, held.holder, ctx.now(), ctx.leaseMs)) === 'lost') throw e;
    }
  }
}
