// The job the outbox's periodic row runs (periodicTick.ts), when this instance runs it: reminders,
// the daily digest and the healing of lost index entries (PeriodicAlerts), then the sweep of
// expired state records, one instance at a time because one lease of the row runs it.

import type { Logger } from 'pino';
import { AlertStore } from '../alerts/alertStore';
import { DigestLog } from '../alerts/digest';
import { PERIODIC_EVERY_MS, PeriodicAlerts } from '../alerts/periodic';
import { PeriodicRow } from '../alerts/periodicRow';
import { PeriodicJob } from '../alerts/periodicTick';
import { PeriodicWatch } from '../alerts/periodicWatch';
import { ReminderLedger } from '../alerts/reminders';
import { SubscriptionHealing } from '../alerts/subscriptionHealing';
import { AlertSubscriptions } from '../alerts/subscriptions';
import { TeamReach } from '../alerts/teamReach';
import { StatePort } from '../state/port';

export interface PeriodicJobOptions {
  readonly state: Pick<StatePort, 'records' | 'outbox'>;
  readonly store: AlertStore;
  readonly digest: DigestLog;
  readonly subscriptions: AlertSubscriptions;
  readonly reach: TeamReach;
  readonly logger: Logger;
  readonly now: () => number;
  /** Deletes expired state records after reminders and the digest. */
  readonly sweepExpired?: (stop?: AbortSignal) => Promise<number>;
  /** How the checks that the periodic row is still there are timed (tests run them by hand). */
  readonly periodicEvery?: (check: () => Promise<void>, ms: number) => () => void;
  /** How the renewals of the periodic row's lease during a pass are timed (tests run them by hand). */
  readonly renewEvery?: (renew: () => Promise<void>, ms: number) => () => void;
}

/** The alerts' part of the pass (`periodic`, which tests also run by hand) and the whole job. */
export function periodicJob(opts: PeriodicJobOptions): { periodic: PeriodicAlerts; job: PeriodicJob } {
  const { records, outbox } = opts.state;
  const { now, logger } = opts;
  const healing = new SubscriptionHealing(records, () => opts.reach.knownTeams());
  const periodic = new PeriodicAlerts({
    alerts: opts.store,
    digest: opts.digest,
    reminders: new ReminderLedger(records, now),
    subscriptions: opts.subscriptions,
    heal: (stop) => healing.pass(stop),
    now,
  });
  const row = new PeriodicRow({ records, outbox, everyMs: PERIODIC_EVERY_MS, now });
  const watch = new PeriodicWatch({
    check: () => row.ensure(),
    everyMs: PERIODIC_EVERY_MS,
    onError: (e) => logger.warn({ err: e, event: 'alerts.periodic.check.failed' }, 'could not check the periodic row'),
    ...(opts.periodicEvery ? { every: opts.periodicEvery } : {}),
  });
  const job: PeriodicJob = {
    everyMs: PERIODIC_EVERY_MS,
    row,
    watch,
    run: (stop) => periodicPass(() => periodic.run(stop), opts.sweepExpired, logger, stop),
    ...(opts.renewEvery ? { every: opts.renewEvery } : {}),
  };
  return { periodic, job };
}

/** Reminders and the digest, then the sweep of expired records. The sweep runs even when the
 * alerts pass failed; a failed sweep is logged as such (the next pass tries again) and never hides
 * the alerts pass's own failure, which is what the caller gets. Nothing is swept once `stop`
 * aborted (the row lost, or shutdown, when the store is about to close), and a sweep under way
 * hears it and stops before its next delete: whoever holds the row next sweeps the rest. A sweep
 * cut short by the stop is no failure, whatever the closing store made it throw. */
export async function periodicPass(
  alertsPass: () => Promise<unknown>,
  sweepExpired: ((stop?: AbortSignal) => Promise<number>) | undefined,
  logger: Logger,
  stop?: AbortSignal,
): Promise<void> {
  const failed = await alertsPass().then(
    () => null,
    (e: unknown) => ({ e }),
  );
  if (sweepExpired && !stop?.aborted) {
    try {
      const swept = await sweepExpired(stop);
      if (stop?.aborted) sweepStopped(logger, swept);
      else if (swept > 0) logger.info({ event: 'state.swept', count: swept }, 'expired state records deleted');
    } catch (e) {
      if (stop?.aborted) sweepStopped(logger, null, e);
      else logger.warn({ err: e, event: 'state.sweep.failed' }, 'could not delete expired state records');
    }
  }
  if (failed) throw failed.e;
}

/** `err`, when the sweep threw, stays in the line: the stop may itself come of a failing store
 * (the periodic row's lease lost), and that store's error is then the one that matters. */
function sweepStopped(logger: Logger, count: number | null, err?: unknown): void {
  logger.info(
    { event: 'state.sweep.stopped', count, ...(err !== undefined ? { err } : {}) },
    'the sweep of expired state records stopped (shutdown, or the periodic row lost); the next pass sweeps the rest',
  );
}
