// Builds the channel-alert parts over one state port, the same way for the app, the tests and the
// bench: subscriptions and team reach, the alert store and its fan-out, the delivery ledger and the
// send scheduler shared by every instance (sendSpacing.ts), the copies index, the digest log, the
// action feed and the intake's category events, and the worker that handles the alert rows of the
// outbox, with where it posts (unseenChannels.ts, channelTargets.ts) and, when this instance runs
// it, the periodic job (periodicJob.ts).

import type { Logger } from 'pino';
import { ActionAlerts, ItemTitles } from '../alerts/actionAlerts';
import { AlertStore, StoredAlert } from '../alerts/alertStore';
import { DeliveryLedger } from '../alerts/deliveries';
import { DigestLog } from '../alerts/digest';
import { Fanout } from '../alerts/fanout';
import { ItemCopies } from '../alerts/itemCopies';
import { AlertSubscriptions, TeamChannel } from '../alerts/subscriptions';
import { TeamReach } from '../alerts/teamReach';
import { CardBindings } from '../state/cardBindings';
import { StatePort } from '../state/port';
import { ConversationReferences, StoredReference } from '../state/references';
import { CategoryEvents } from './categoryEvents';
import { channelTargets } from './channelTargets';
import { SendCard } from './delivery';
import { endedFromRecords } from './endedAlert';
import { ChannelStatus } from './fanoutStatus';
import { AlertWorker } from './fanoutWorker';
import { periodicJob } from './periodicJob';
import { sharedSendScheduler } from './sendSpacing';
import { NotificationStore } from './store';
import { RenderEvent } from './timedCard';
import { channelLookup } from './unseenChannels';

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
  /** How a notification event's card is rendered (the app's eventCard): with it, an alert stored
   * without its ended card (by an earlier release) takes it from the event's record (endedAlert.ts). */
  readonly render?: RenderEvent;
}

export function createAlerts(opts: AlertsSetupOptions) {
  const { records, outbox } = opts.state;
  const { logger, servedTenant } = opts;
  const now = opts.now ?? Date.now;
  const subscriptions = new AlertSubscriptions(
    records,
    now,
    (line) =>
      line.event === 'alerts.subscription.suspended'
        ? logger.warn(line, 'Teams refused a channel; its alert subscription is suspended')
        : logger.info(line, 'alert subscription resumed'),
    (e, ref) =>
      logger.warn(
        { err: e, event: 'alerts.subscription.indexWriteFailed', ...ref },
        'a category list could not be written after a settings change; the change stands',
      ),
  );
  const reach = new TeamReach(records, subscriptions, { now, logger });
  const store = new AlertStore(records, outbox);
  const ledger = new DeliveryLedger(records, now);
  const scheduler = sharedSendScheduler(records, now, opts.marginMs);
  const copies = new ItemCopies(records);
  const digest = new DigestLog(records, now);
  const titles = new ItemTitles(records);
  const enqueue = (deliveryId: string) => store.enqueueSend(deliveryId);
  const base = new Fanout({ records, channelsFor: (t) => subscriptions.channelsFor(t), enqueue, now });
  const fanout = (alert: StoredAlert): Fanout =>
    alert.channels ? new Fanout({ records, channelsFor: async () => alert.channels ?? [], enqueue, now }) : base;

  const channelReference = channelLookup({
    subscriptions,
    reach,
    ...(opts.references ? { references: opts.references } : {}),
    ...(opts.listTeamChannels ? { listTeamChannels: opts.listTeamChannels } : {}),
    servedTenant,
    logger,
    now,
  });
  // An alert's channel is never looked up in the other teams' channel lists: a subscribed channel
  // was recorded with its team when it subscribed, and loses that record only with its team (the
  // bot removed) or when Teams deleted it, so no listing can find it. Every alert queued for a team
  // the bot just left would otherwise read every known team's list from Teams (up to MAX_TEAMS),
  // and Teams counts channel enumerations against the same limits as the sends
  // (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit). The same
  // holds for the channel a card's copy was posted in (its edits after a click: appOutbound.ts).
  const alertChannelReference = channelLookup({
    subscriptions,
    reach,
    ...(opts.references ? { references: opts.references } : {}),
    servedTenant,
    logger,
    now,
  });
  const { channelTarget, channelRefused, withheld } = channelTargets({
    subscriptions,
    channelReference: alertChannelReference,
    servedTenant,
    logger,
    now,
  });
  const { periodic, job } = opts.periodic
    ? periodicJob({
        state: opts.state,
        store,
        digest,
        subscriptions,
        reach,
        logger,
        now,
        ...(opts.sweepExpired ? { sweepExpired: opts.sweepExpired } : {}),
        ...(opts.periodicEvery ? { periodicEvery: opts.periodicEvery } : {}),
        ...(opts.renewEvery ? { renewEvery: opts.renewEvery } : {}),
      })
    : { periodic: null, job: null };
  const worker = new AlertWorker({
    outbox,
    alerts: store,
    fanout,
    plans: base,
    ledger,
    scheduler,
    channelTarget,
    channelRefused,
    withheld,
    bindings: opts.bindings,
    copies,
    send: opts.send,
    logger,
    owner: opts.owner,
    tenantId: opts.tenantId,
    now,
    ...(job ? { periodic: job } : {}),
    ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
    ...(opts.sendTimeoutMs !== undefined ? { sendTimeoutMs: opts.sendTimeoutMs } : {}),
    ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
    ...(opts.render ? { endedOf: endedFromRecords(new NotificationStore(opts.state), opts.render) } : {}),
  });
  const actions = new ActionAlerts({
    alerts: store,
    digest,
    itemTitle: titles.title,
    anySubscriber: () => subscriptions.anySubscriber('actions'),
    now,
    onError: (e) => logger.error({ err: e, event: 'alerts.action.failed' }, 'an action alert could not be queued'),
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
    /** A channel the bot knows (its team's, or one a reference was stored for), never looked up in
     * other teams' channel lists: for the alert worker and the edits of a card's copies. */
    knownChannelReference: alertChannelReference,
    channels,
    /** The worker option of the delivery worker (worker.ts). */
    workerHook: { rows: worker, publish: categoryEvents.publish },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
