// Builds the channel-alert parts over one state port, the same way for the app, the tests and the
// bench: subscriptions and team reach, the alert store and its fan-out, the delivery ledger and the
// send scheduler shared by every instance (its windows are records on the state port), the copies
// index, the digest log and reminders, the action feed and the intake's category events, and the
// worker that handles the alert rows of the outbox.

import type { Logger } from 'pino';
import { ActionAlerts, ItemTitles } from '../alerts/actionAlerts';
import { AlertStore, StoredAlert } from '../alerts/alertStore';
import { channelRefusal, foreignTenantSuspension, suspensionOf } from '../alerts/channelSuspension';
import { DeliveryLedger, DeliveryRecord } from '../alerts/deliveries';
import { DigestLog } from '../alerts/digest';
import { Fanout } from '../alerts/fanout';
import { ItemCopies } from '../alerts/itemCopies';
import { PERIODIC_EVERY_MS, PeriodicAlerts } from '../alerts/periodic';
import { SubscriptionHealing } from '../alerts/subscriptionHealing';
import { PeriodicRow } from '../alerts/periodicRow';
import { PeriodicWatch } from '../alerts/periodicWatch';
import { RecordsLogStore, SendScheduler, TENANT_LIMITS } from '../alerts/rateLimits';
import type { RateWindow } from '../alerts/windowLog';
import { ReminderLedger } from '../alerts/reminders';
import { AlertSubscriptions, TeamChannel } from '../alerts/subscriptions';
import { MAX_TEAMS, TeamReach } from '../alerts/teamReach';
import { CardBindings } from '../state/cardBindings';
import { StatePort } from '../state/port';
import { ConversationReferences, StoredReference } from '../state/references';
import { CategoryEvents } from './categoryEvents';
import { SendCard } from './delivery';
import { ChannelStatus } from './fanoutStatus';
import { foreignTenantFields, foreignTenantOf } from './foreignTenant';
import { ChannelTarget } from './alertWorkerOptions';
import { AlertWorker } from './fanoutWorker';

export interface AlertsSetupOptions {
  readonly state: Pick<StatePort, 'records' | 'outbox'>;
  readonly references?: ConversationReferences;
  readonly bindings: CardBindings;
  readonly send: SendCard;
  readonly logger: Logger;
  /** This instance (owner of delivery claims). */
  readonly owner: string;
  readonly tenantId: string;
  /** The organization the bot serves (a tenant GUID), or null when it cannot be told (a tenant
   * configured by its domain name): a channel whose stored reference names another tenant is never
   * posted in and its subscription is suspended (foreignTenant.ts); null turns that check off, as
   * at the inbound edge. */
  readonly servedTenant: string | null;
  /** Reads a team's channel list from Teams, for an event that names a channel not seen before. */
  readonly listTeamChannels?: (teamId: string, reference: StoredReference) => Promise<TeamChannel[]>;
  /** Run reminders and the digest from the outbox's tick row. */
  readonly periodic?: boolean;
  /** Deletes expired state records; the same leased pass runs it after reminders and the digest,
   * so one instance at a time does it. */
  readonly sweepExpired?: (stop?: AbortSignal) => Promise<number>;
  /** How the checks that the periodic row is still there are timed (tests run them by hand). */
  readonly periodicEvery?: (check: () => Promise<void>, ms: number) => () => void;
  /** How the renewals of the periodic row's lease during a pass are timed (tests run them by hand). */
  readonly renewEvery?: (renew: () => Promise<void>, ms: number) => () => void;
  readonly now?: () => number;
  readonly maxAttempts?: number;
  readonly sendTimeoutMs?: number;
  readonly backoffMs?: (attempt: number) => number;
  /** Extra distance the scheduler keeps between sends that share a window. */
  readonly marginMs?: number;
}

/** The distance kept between sends that share a window: what a send may arrive late (a busy event
 * loop, the network) without Teams counting it in the window of a later one. */
export const MARGIN_MS = 20;

/** The tenant's windows plus one that spaces its sends evenly (30 per second: one every 33 ms).
 * Without it a window's whole allowance may be reserved for one moment, and 30 sends leaving
 * together reach Teams spread over more than the margin, so the first of the next burst is
 * counted with the last of this one and refused. */
export function evenlySpaced(windows: readonly RateWindow[], marginMs: number): RateWindow[] {
  const tightest = Math.min(...windows.map((w) => w.windowMs / w.limit));
  return [...windows, { limit: 1, windowMs: Math.max(1, Math.ceil(tightest) - marginMs) }];
}

/** Why an alert is not posted in a channel no team the bot is in has. */
const UNKNOWN_CHANNEL =
  'Governance Bot does not know this channel any more: it was removed from the team or the channel was deleted.';

/** An unseen channel is looked up in the known teams at most this often. */
const LOOKUP_EVERY_MS = 10 * 60_000;

export function createAlerts(opts: AlertsSetupOptions) {
  const { records, outbox } = opts.state;
  const now = opts.now ?? Date.now;
  const subscriptions = new AlertSubscriptions(records, now, (line) =>
    line.event === 'alerts.subscription.suspended'
      ? opts.logger.warn(line, 'Teams refused a channel; its alert subscription is suspended')
      : opts.logger.info(line, 'alert subscription resumed'),
  );
  const reach = new TeamReach(records, subscriptions);
  const store = new AlertStore(records, outbox);
  const ledger = new DeliveryLedger(records, now);
  const marginMs = opts.marginMs ?? MARGIN_MS;
  const scheduler = new SendScheduler({
    store: new RecordsLogStore(records),
    now,
    marginMs,
    tenantLimits: evenlySpaced(TENANT_LIMITS, marginMs),
  });
  const copies = new ItemCopies(records);
  const digest = new DigestLog(records, now);
  const titles = new ItemTitles(records);
  const enqueue = (deliveryId: string) => store.enqueueSend(deliveryId);
  const base = new Fanout({ records, channelsFor: (t) => subscriptions.channelsFor(t), enqueue, now });
  const fanout = (alert: StoredAlert): Fanout =>
    alert.channels ? new Fanout({ records, channelsFor: async () => alert.channels ?? [], enqueue, now }) : base;

  const lookedUp = new Map<string, number>();
  /** Any channel of a team the bot is in; a channel no team was known to have is looked up in
   * the teams' channel lists (at most once per LOOKUP_EVERY_MS per channel). */
  const channelReference = async (channelId: string): Promise<StoredReference | null> => {
    const known = (await reach.channelReference(channelId)) ?? (await opts.references?.forChannel(channelId)) ?? null;
    if (known || !opts.listTeamChannels) return known;
    const last = lookedUp.get(channelId);
    if (last !== undefined && now() - last < LOOKUP_EVERY_MS) return null;
    lookedUp.set(channelId, now());
    if (lookedUp.size > 10_000) lookedUp.delete(lookedUp.keys().next().value as string);
    for (const teamId of (await reach.knownTeams()).slice(0, MAX_TEAMS)) {
      const team = await reach.teamReference(teamId);
      // Another organization's team is never asked (its listing would also resume its channels).
      if (!team || foreignTenantOf(team, opts.servedTenant) !== null) continue;
      try {
        const channels = await opts.listTeamChannels(teamId, team);
        await subscriptions.setTeamChannels(teamId, channels);
        if (channels.some((c) => c.id === channelId)) return reach.channelReference(channelId);
      } catch (e) {
        opts.logger.warn({ err: e, event: 'alerts.channels.failed', teamId }, 'could not read a team channel list');
      }
    }
    return null;
  };

  /** A 403 or 404 on a channel alert by which the channel refuses the bot (not a fault of the
   * bot's deployment, connectorRefusal.ts): the channel's subscription is suspended
   * (channelSuspension.ts), unless Teams showed the bot there since the post was looked up
   * (`seen`: its confirmations then).
   * A failure to write that is logged: the delivery is dead-lettered either way, and the next
   * refusal tries again. */
  const channelRefused = async (delivery: DeliveryRecord, error: unknown, seen: number): Promise<void> => {
    const refusal = channelRefusal(error);
    if (refusal === null) return;
    await subscriptions
      .suspend(delivery.channelId, suspensionOf(refusal, now()), seen)
      .catch((e: unknown) =>
        opts.logger.error(
          { err: e, event: 'alerts.suspend.failed', deliveryId: delivery.deliveryId },
          'could not suspend',
        ),
      );
  };
  /** Alerts are not posted in a suspended channel: deliveries planned before it was suspended are
   * dead-lettered without trying Teams again, with the suspension's own reason. */
  const channelTarget = async (channelId: string): Promise<ChannelTarget> => {
    const { suspended, confirmations } = await subscriptions.standing(channelId);
    if (suspended) return { reference: null, reason: `Alerts to this channel are suspended. ${suspended.reason}` };
    const reference = await channelReference(channelId);
    if (!reference) return { reference: null, reason: UNKNOWN_CHANNEL };
    const foreign = foreignTenantOf(reference, opts.servedTenant);
    if (foreign === null) return { reference, seen: confirmations };
    // Stored before the inbound edge refused other tenants: never posted in, suspended like a
    // channel Teams refused (its own uninstall events are refused now, so nothing else would).
    opts.logger.warn(
      { event: 'alerts.channel.foreignTenant', channelId, ...foreignTenantFields(foreign) },
      "a channel of another organization's team is not posted in; its alert subscription is suspended",
    );
    const suspension = foreignTenantSuspension(now());
    await subscriptions
      .suspend(channelId, suspension, confirmations)
      .catch((e: unknown) =>
        opts.logger.error({ err: e, event: 'alerts.suspend.failed', channelId }, 'could not suspend'),
      );
    return { reference: null, reason: `Alerts to this channel are suspended. ${suspension.reason}` };
  };

  const healing = new SubscriptionHealing(records, () => reach.knownTeams());
  const periodic = opts.periodic
    ? new PeriodicAlerts({
        alerts: store,
        digest,
        reminders: new ReminderLedger(records, now),
        subscriptions,
        heal: (stop) => healing.pass(stop),
        now,
      })
    : null;
  const periodicRow = new PeriodicRow({ records, outbox, everyMs: PERIODIC_EVERY_MS, now });
  const periodicWatch = new PeriodicWatch({
    check: () => periodicRow.ensure(),
    everyMs: PERIODIC_EVERY_MS,
    onError: (e) =>
      opts.logger.warn({ err: e, event: 'alerts.periodic.check.failed' }, 'could not check the periodic row'),
    ...(opts.periodicEvery ? { every: opts.periodicEvery } : {}),
  });
  const worker = new AlertWorker({
    outbox,
    alerts: store,
    fanout,
    ledger,
    scheduler,
    channelTarget,
    channelRefused,
    bindings: opts.bindings,
    copies,
    send: opts.send,
    logger: opts.logger,
    owner: opts.owner,
    tenantId: opts.tenantId,
    now,
    ...(periodic
      ? {
          periodic: {
            everyMs: PERIODIC_EVERY_MS,
            row: periodicRow,
            watch: periodicWatch,
            run: (stop) => periodicPass(() => periodic.run(stop), opts.sweepExpired, opts.logger, stop),
            ...(opts.renewEvery ? { every: opts.renewEvery } : {}),
          },
        }
      : {}),
    ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
    ...(opts.sendTimeoutMs !== undefined ? { sendTimeoutMs: opts.sendTimeoutMs } : {}),
    ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
  });
  const actions = new ActionAlerts({
    alerts: store,
    digest,
    itemTitle: titles.title,
    anySubscriber: () => subscriptions.anySubscriber('actions'),
    now,
    onError: (e) => opts.logger.error({ err: e, event: 'alerts.action.failed' }, 'an action alert could not be queued'),
  });
  const categoryEvents = new CategoryEvents(store, digest, titles, now);

  /** GET /api/notifications/{eventId}: the event's channels, or null when it was not fanned out. */
  const channels = async (eventId: string, event?: { acceptedAt: string } | null): Promise<ChannelStatus[] | null> =>
    base.report(eventId, event);

  return {
    subscriptions,
    reach,
    store,
    ledger,
    scheduler,
    copies,
    digest,
    periodic,
    worker,
    actions,
    categoryEvents,
    channelReference,
    channels,
    /** The worker option of the delivery worker (worker.ts). */
    workerHook: { rows: worker, publish: categoryEvents.publish },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;

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
