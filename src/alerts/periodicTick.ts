// One lease of a periodic outbox row (`@alerts:tick:<id>`): the row named by the tick record runs
// the reminders and digest pass and is given back for the next period, so its lease is what lets
// one instance at a time run the job; any other periodic row (a second copy, an earlier start's,
// an earlier version's) completes itself unrun. The pass (reminders, digests, then the sweep of
// expired records, which may delete thousands) can outlast the row's lease: the lease is renewed
// while it runs, or another instance would take the row and run the same pass beside it (counting
// its reminders twice in the digest). A pass whose lease is lost all the same (the store answered
// that someone else holds the row, or failed to renew it until no renewal could still keep it) is
// told to stop through its signal, and so is one cut short by shutdown: it stops before its next
// write (each step is published, then marked, so a pass stopped between them loses nothing and the
// next one repeats nothing), rather than writing on beside the row's new holder or into a store
// being closed.

import type { Logger } from 'pino';
import { Lease, WorkQueue } from '../state/port';
import { PeriodicRow } from './periodicRow';
import { PeriodicWatch, unrefEvery } from './periodicWatch';

type Row = Lease<{ readonly eventId: string }>;

/** The lease the pass holds its row for, renewed every third of it while the pass runs. */
export const PERIODIC_LEASE_MS = 60_000;

/** Renewals in a row the store failed to answer after which the lease is taken as lost. Renewed
 * every third of the lease, the third renewal after the last one answered is due as that lease
 * runs out, when another instance may take the row: the pass must stop before then, so after the
 * second failure (known by the store's deadline, 10 s, well before the third's turn). */
const FAILED_RENEWALS_LOST = 2;

/** The periodic job as the alert worker runs it. */
export interface PeriodicJob {
  readonly everyMs: number;
  /** One pass; `stop` aborts when the row's lease is lost or the instance stops: no write after. */
  run(stop: AbortSignal): Promise<void>;
  /** Which periodic row is the live one. */
  readonly row: Pick<PeriodicRow, 'ensure' | 'beat'>;
  /** Checks every period that a live row is queued (`row.ensure`), from startPeriodic() on. */
  readonly watch: Pick<PeriodicWatch, 'start' | 'stop'>;
  /** Calls `tick` every `ms` until the returned function is called (tests call it by hand). */
  readonly every?: (tick: () => Promise<void>, ms: number) => () => void;
}

type Outbox = Pick<WorkQueue<{ readonly eventId: string }>, 'complete' | 'release' | 'extend'>;

export async function runPeriodicRow(
  job: PeriodicJob | undefined,
  outbox: Outbox,
  logger: Logger,
  row: Row,
  id: string,
  shutdown: AbortSignal = new AbortController().signal,
): Promise<void> {
  if (!job || !(await job.row.beat(id, row.copy))) {
    await outbox.complete(row);
    return;
  }
  const held = await whileHolding(outbox, row, job.every ?? unrefEvery, shutdown, async (stop) => {
    try {
      await job.run(stop);
    } catch (e) {
      if (!stop.aborted)
        logger.error({ err: e, event: 'alerts.periodic.failed' }, 'the reminder and digest pass failed');
    }
  });
  if (held && shutdown.aborted) {
    // Cut short by shutdown: the next instance runs the pass now (it repeats nothing done).
    await outbox.release(held, 0);
    return;
  }
  if (!held) {
    // Someone else holds the row now, and gives it back for the next period.
    logger.warn({ event: 'alerts.periodic.leaseLost' }, 'the periodic row was lost during the pass');
    return;
  }
  // Replaced while it ran (silent too long): the new row runs the next pass. Unknown (the store
  // failed): given back, and its next lease asks again.
  if (await job.row.beat(id, held.copy).catch(() => true)) await outbox.release(held, job.everyMs);
  else await outbox.complete(held);
}

/** Runs `work` while renewing the row's lease; the row as last renewed, or null when the lease was
 * lost. A renewal the store failed to answer keeps the lease as it was (the next one tries again),
 * until FAILED_RENEWALS_LOST of them in a row: the next could only come as the lease runs out.
 * The signal `work` gets aborts when the lease is lost or `shutdown` aborts. */
async function whileHolding(
  outbox: Outbox,
  row: Row,
  every: NonNullable<PeriodicJob['every']>,
  shutdown: AbortSignal,
  work: (stop: AbortSignal) => Promise<void>,
): Promise<Row | null> {
  let current: Row | null = row;
  let failedInRow = 0;
  const stop = new AbortController();
  const onShutdown = (): void => stop.abort(shutdown.reason);
  if (shutdown.aborted) onShutdown();
  else shutdown.addEventListener('abort', onShutdown, { once: true });
  let renewing = Promise.resolve();
  const renew = async (): Promise<void> => {
    if (!current) return;
    const renewed: Row | null | undefined = await outbox.extend(current, PERIODIC_LEASE_MS).catch(() => undefined);
    if (renewed === undefined) failedInRow++;
    else failedInRow = 0;
    if (renewed !== undefined) current = renewed;
    if (renewed === null || failedInRow >= FAILED_RENEWALS_LOST) {
      current = null;
      stop.abort(new Error('the periodic row was lost'));
    }
  };
  // Renewed once at the start: the lease call and the tick record's check before it may have taken
  // up to the store's deadline each, so the failures counted below count from a lease of known age.
  // One that fails leaves the age unknown (up to three deadlines): the next renewal would fail only
  // as the lease runs out, so no pass starts; the row comes back when its lease ends.
  renewing = renew();
  await renewing;
  if (failedInRow > 0) {
    current = null;
    stop.abort(new Error('the periodic row could not be renewed as its pass started'));
  }
  // One renewal at a time, in order: each needs the receipt of the one before.
  const cancel = every(() => (renewing = renewing.then(renew)), PERIODIC_LEASE_MS / 3);
  try {
    if (!stop.signal.aborted) await work(stop.signal);
  } finally {
    cancel();
    shutdown.removeEventListener('abort', onShutdown);
    await renewing;
  }
  return current;
}
