// A poison row: one whose handling throws on every pass (a fault in the worker for this one event,
// not a refusal by Teams, which delivery.ts reads and settles). Left alone it comes back after
// every lease, for ever, the event queued for ever. So a row whose handling threw on its
// MAX_ROW_LEASES-th lease or later is dead-lettered as an undeliverable event is: the outcome on
// the record (GET reports it), the row removed, a line at error level.
//
// The count is the row's leases (SQLite's attempt count, Queue Storage's dequeueCount:
// https://learn.microsoft.com/en-us/rest/api/storageservices/get-messages), which ordinary waits
// raise too: every Retry-After or backoff (up to maxAttempts sends), a send slot further than 2 s
// away, or another row's claim gives the row back to be leased again. So the cap is judged only
// when a handling threw, and is well above those leases. A store that cannot be reached
// (StateUnavailableError) is not the row's fault and never dead-letters it, nor does shutdown.

import type { Logger } from 'pino';
import { StateUnavailableError } from '../state/port';
import { isDone } from './records';
import { Row } from './sendClaim';
import { NotificationStore } from './store';

/** The lease of a row from which a throwing handling dead-letters it: far above what retries,
 * pacing and claim waits give back (a few per send, at most 6 sends). */
export const MAX_ROW_LEASES = 20;

export interface PoisonContext {
  readonly store: NotificationStore;
  readonly logger: Logger;
  readonly now: () => number;
  readonly maxRowLeases: number;
  /** Aborted at shutdown: a handling cut short by it is no fault of the row. */
  readonly signal: AbortSignal;
}

/** Why a dead-lettered event was not delivered (no error text: it may name a file). */
export const poisonReason = (leases: number): string =>
  `Governance Bot failed while handling this event, ${leases} times; it will not try again. ` +
  "An administrator finds the error in the bot's log under this eventId.";

/** Runs `handle` on the row; when it throws on a row leased maxRowLeases times or more, the row
 * is dead-lettered before the error goes on up (to be logged with its stack, as every failed pass
 * is). */
export async function handleOrDeadLetter(
  ctx: PoisonContext,
  row: Row,
  handle: (row: Row) => Promise<void>,
): Promise<void> {
  try {
    await handle(row);
  } catch (e) {
    if (row.attempts >= ctx.maxRowLeases && !(e instanceof StateUnavailableError) && !ctx.signal.aborted) {
      await deadLetter(ctx, row, e).catch((failed: unknown) =>
        ctx.logger.warn(
          { err: failed, event: 'notification.deadLetter.failed', eventId: row.payload.eventId },
          'a notification that failed on every try could not be set aside; its row comes back after its lease',
        ),
      );
    }
    throw e;
  }
}

/** The outcome first (only over a record still queued), then the row: a failure in between
 * leaves the row to come back and find the event settled. No claim is taken: the pass that threw
 * may have left its own, live until it expires, and the row would wait for it at every pass. */
async function deadLetter(ctx: PoisonContext, row: Row, error: unknown): Promise<void> {
  const { store, logger } = ctx;
  const eventId = row.payload.eventId;
  // The sends already tried stay counted; a record that cannot be read (the fault may be there)
  // is written with none.
  const record = await store.get(eventId).catch(() => null);
  const reason = poisonReason(row.attempts);
  // A category event handed to its channels (published) stays as it is: its channels report it.
  const settled =
    !(record && isDone(record)) &&
    (await store.finish(eventId, { state: 'undeliverable', reason }, record?.attempts ?? 0, ctx.now()));
  await store.outbox.complete(row);
  logger.error(
    {
      event: 'notification.deadLetter',
      eventId,
      leases: row.attempts,
      errorType: error instanceof Error ? error.name : typeof error,
      settled,
    },
    settled
      ? 'a notification whose handling failed on every try is undeliverable; not tried again'
      : 'the outbox row of a settled notification failed on every try; removed',
  );
}
