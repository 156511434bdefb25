// What reaches Teams without a turn to answer: the conversation references every turn leaves,
// proactive sends through them, channel alerts, the edits of a card's other copies, and the
// delivery of accepted notifications. Built on the adapter app.ts made (it imports no botbuilder
// itself: the adapter and the Teams calls are src/bot's).

import type { Logger } from 'pino';
import type { GovernanceAdapter } from './bot/adapter';
import { proactiveSender } from './bot/proactiveSender';
import type { Reply } from './bot/replies';
import { eventCard } from './bot/replyCards';
import { ReferenceCapture } from './bot/referenceCapture';
import { servedTenantGuid } from './bot/servedTenant';
import { CardCopyUpdates, Proactive, teamChannelLister } from './bot/teamsEdge';
import { CopyPacing } from './bot/copyPacing';
import type { Config } from './config';
import { systemClock } from './domain/clock';
import { createAlerts } from './notifications/alertsSetup';
import { NotificationStore } from './notifications/store';
import { DeliveryWorker } from './notifications/worker';
import { CardBindings } from './state/cardBindings';
import { CardEditLog } from './state/cardEditLog';
import type { StatePort } from './state/port';
import { ConversationReferences } from './state/references';

export interface OutboundParts {
  readonly config: Config;
  readonly logger: Logger;
  readonly adapter: GovernanceAdapter;
  readonly state: StatePort;
  /** The state's clock (appServices.ts). */
  readonly now: () => number;
  /** This instance, as the owner of the periodic alerts work it takes. */
  readonly owner: string;
  /** The SSO app's tenant (config.sso.tenantId, checked by the caller). */
  readonly ssoTenant: string;
  /** The periodic pass's sweep of expired records (app.ts adds the sign-ins whose time ran out). */
  readonly sweepExpired: (stop?: AbortSignal) => Promise<number>;
}

export function createOutbound(parts: OutboundParts) {
  const { config, logger, adapter, state, now, ssoTenant } = parts;
  const appId = config.bot.appId;
  const references = new ConversationReferences(state.records, {
    onError: (e) => logger.warn({ err: e, event: 'references.save.failed' }, 'could not save a conversation reference'),
  });
  const notifications = new NotificationStore(state);
  // Every turn passes through it; a message never waits for the reference to be stored.
  const referenceCapture = new ReferenceCapture(references, logger);
  adapter.use(referenceCapture);
  const proactive: Proactive = (reference, logic) => adapter.continueConversationAsync(appId, reference, logic);
  const send = proactiveSender(adapter, appId);
  // References stored for another organization are never sent to (notifications/foreignTenant.ts).
  const servedTenant = servedTenantGuid(config);
  const alerts = createAlerts({
    state,
    references,
    bindings: new CardBindings(state.records),
    send,
    logger,
    owner: parts.owner,
    tenantId: ssoTenant,
    servedTenant,
    listTeamChannels: teamChannelLister(proactive),
    periodic: true,
    sweepExpired: parts.sweepExpired,
    render: eventCard,
    now,
  });
  // The newest edit of each posted card, shared by the instances: the clicked card and its copies.
  const editLog = new CardEditLog<Reply>(state.records);
  // A copy was posted in a channel the bot knew: a channel it no longer knows (its team left) is
  // not looked up in every other team's channel list. Its updates take their moments from the
  // scheduler the delivery worker's sends use, under the same Teams limits (bot/copyPacing.ts).
  const copies = new CardCopyUpdates({
    copies: alerts.copies,
    editLog,
    channelReference: alerts.knownChannelReference,
    pacing: new CopyPacing({
      scheduler: alerts.scheduler,
      tenantId: ssoTenant,
      clock: { now, sleep: systemClock.sleep },
    }),
    userReference: (aadObjectId) => references.forUser(aadObjectId),
    proactive,
    logger,
    servedTenant,
  });
  const deliverer = new DeliveryWorker({
    store: notifications,
    references,
    bindings: new CardBindings(state.records),
    copies: alerts.copies,
    logger,
    render: eventCard,
    send,
    servedTenant,
    alerts: alerts.workerHook,
    channelReference: alerts.channelReference,
    sharedPacing: { scheduler: alerts.scheduler, tenantId: ssoTenant },
    // Channel alerts wait for their slot under the Teams limits inside a send: room for enough of
    // them at once to keep the per-tenant ceiling busy.
    concurrency: 32,
    now,
  });
  return { references, notifications, referenceCapture, proactive, alerts, editLog, copies, deliverer };
}
