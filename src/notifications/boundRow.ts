// What happens to the outbox row of a card Teams accepted, once the worker has tried to bind the
// card to its item (without the binding, the card's buttons are refused): a bound card's row is
// done; an unbound card's row comes back later, with a growing wait, to be bound then (the record
// already says delivered, so it is never sent again). Both delivery workers (worker.ts for direct
// notifications, fanoutWorker.ts for channel alerts) end such rows here.

import type { Logger } from 'pino';
import type { Lease, WorkQueue } from '../state/port';

export type Binding = 'bound' | 'unbound';

/** The first wait before binding again, doubling up to the maximum, until the row has been
 * leased GIVE_UP_LEASES times (about a day at the maximum). */
export const BIND_RETRY_FIRST_MS = 5_000;
const BIND_RETRY_MAX_MS = 10 * 60_000;
const GIVE_UP_LEASES = 150;

export async function endBoundRow<T>(
  outbox: Pick<WorkQueue<T>, 'complete' | 'release'>,
  row: Lease<T>,
  binding: Binding,
  logger: Logger,
  what: Record<string, unknown>,
): Promise<void> {
  if (binding === 'bound') {
    await outbox.complete(row);
    return;
  }
  if (row.attempts >= GIVE_UP_LEASES) {
    logger.error(
      { ...what, event: 'notification.bind.abandoned', leases: row.attempts },
      "the posted card's buttons stay refused: its binding could not be stored",
    );
    await outbox.complete(row);
    return;
  }
  await outbox.release(row, Math.min(BIND_RETRY_FIRST_MS * 2 ** Math.max(0, row.attempts - 1), BIND_RETRY_MAX_MS));
}
