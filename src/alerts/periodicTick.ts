// One lease of a periodic outbox row (`@alerts:tick:<id>`): the row named by the tick record runs
// the reminders and digest pass and is given back for the next period, so its lease is what lets
// one instance at a time run the job; any other periodic row (a second copy, an earlier start's,
// an earlier version's) completes itself unrun.

import type { Logger } from 'pino';
import { Lease, WorkQueue } from '../state/port';
import { PeriodicRow } from './periodicRow';
import { PeriodicWatch } from './periodicWatch';

type Row = Lease<{ readonly eventId: string }>;

/** The periodic job as the alert worker runs it. */
export interface PeriodicJob {
  readonly everyMs: number;
  run(): Promise<void>;
  /** Which periodic row is the live one. */
  readonly row: Pick<PeriodicRow, 'ensure' | 'beat'>;
  /** Checks every period that a live row is queued (`row.ensure`), from startPeriodic() on. */
  readonly watch: Pick<PeriodicWatch, 'start' | 'stop'>;
}

export async function runPeriodicRow(
  job: PeriodicJob | undefined,
  outbox: Pick<WorkQueue<{ readonly eventId: string }>, 'complete' | 'release'>,
  logger: Logger,
  row: Row,
  id: string,
): Promise<void> {
  if (!job || !(await job.row.beat(id))) {
    await outbox.complete(row);
    return;
  }
  try {
    await job.run();
  } catch (e) {
    logger.error({ err: e, event: 'alerts.periodic.failed' }, 'the reminder and digest pass failed');
  }
  // Replaced while it ran (silent too long): the new row runs the next pass. Unknown (the store
  // failed): given back, and its next lease asks again.
  if (await job.row.beat(id).catch(() => true)) await outbox.release(row, job.everyMs);
  else await outbox.complete(row);
}
