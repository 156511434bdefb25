// What happens to the outbox row of a card Teams accepted, once the worker has tried to bind the
// card to its item (without the binding, the card's buttons are refused): a bound card's row is
// done; an unbound card's row comes back later to be bound then (the record already says
// delivered, so it is never sent again). Both delivery workers (worker.ts for direct
// notifications, fanoutWorker.ts for channel alerts) end such rows here.
//
// The wait is counted from when the card was posted, not from the row's leases: a row leased many
// times before its send (retries, pacing, claim waits) must not start binding late or give up at
// once. Waiting as long again as has passed since the post doubles the wait with every try.

import type { Logger } from 'pino';
import type { Lease, WorkQueue } from '../state/port';

export type Binding = 'bound' | 'unbound';

export const BIND_RETRY_FIRST_MS = 5_000;
const BIND_RETRY_MAX_MS = 10 * 60_000;
/** After this long since the post, an unbound card is left unbound (and said so). */
const BIND_GIVE_UP_MS = 24 * 3_600_000;

export interface PostedRow<T> {
  readonly outbox: Pick<WorkQueue<T>, 'complete' | 'release'>;
  readonly row: Lease<T>;
  /** When the card was posted (its outcome written; epoch ms), if known. */
  readonly postedAt: number | undefined;
  readonly now: number;
  readonly logger: Logger;
  /** What names the card in the log (event or delivery id). */
  readonly what: Record<string, unknown>;
}

export async function endBoundRow<T>(posted: PostedRow<T>, binding: Binding): Promise<void> {
  const { outbox, row, now, logger } = posted;
  if (binding === 'bound') {
    await outbox.complete(row);
    return;
  }
  // No post time known (none is in the callers today): the first wait, each time.
  const since = Math.max(0, now - (posted.postedAt ?? now));
  if (since >= BIND_GIVE_UP_MS) {
    logger.error(
      { ...posted.what, event: 'notification.bind.abandoned', sincePostMs: since },
      "the posted card's buttons stay refused: its binding could not be stored",
    );
    await outbox.complete(row);
    return;
  }
  await outbox.release(row, Math.min(Math.max(since, BIND_RETRY_FIRST_MS), BIND_RETRY_MAX_MS));
}
