// Wires the concrete parts together. Kept apart from index.ts so that tests and the benchmark
// build exactly what production runs, in process.

import { randomUUID } from 'node:crypto';
import { ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { signInUrl } from './auth/signInPages';
import { SignOutMarks } from './auth/signOuts';
import { SignInFlow } from './auth/sso';
import { MsalOboExchanger } from './auth/oboExchanger';
import { UserTokenCache } from './auth/tokens';
import { PendingCommand } from './bot/commandTurns';
import { GovernanceBot } from './bot/governanceBot';
import type { Reply } from './bot/replies';
import { ReferenceCapture } from './bot/referenceCapture';
import { createReplyCards } from './bot/replyCards';
import { Config } from './config';
import { CardActionService } from './domain/cardAction';
import { systemClock } from './domain/clock';
import { GovernanceService } from './domain/governance';
import type { HelpExamples } from './domain/helpExamples';
import { GraphGateway } from './graph/graphGateway';
import { MyWorkReader } from './graph/myWorkReader';
import type { WorkItem } from './domain/myWork';
import { ListCards } from './state/listCards';
import { auditTo } from './log';
import { CardBindings } from './state/cardBindings';
import { Claims } from './state/claims';
import { createState } from './state/createState';
import { Instances } from './state/instances';
import { shutDown, SHUTDOWN_MS, withDeadline } from './shutdown';
import { PendingSignIns } from './state/signIns';
import { SignInStates } from './state/signInStates';
import { CardEditLog } from './state/cardEditLog';
import { TurnDedup } from './state/turnDedup';
import { NotificationStore } from './notifications/store';
import { DeliveryWorker } from './notifications/worker';
import { ABORT_GRACE_MS } from './notifications/outboxLoop';
import { eventCard } from './bot/replyCards';
import { ConversationReferences } from './state/references';
import { AlertTurns } from './bot/alertTurns';
import { CardCopyUpdates, teamChannelLister } from './bot/teamsEdge';
import { checkMemberGroups } from './graph/memberGroups';
import { createAlerts } from './notifications/alertsSetup';
import type { SandboxAlertsTeam } from './sandbox/alertsTeam';
import { EntraReachability } from './http/entraReachability';
import { createAdapter } from './bot/adapter';
import { proactiveSender } from './bot/proactiveSender';
import { servedTenantGuid } from './bot/servedTenant';
import { seedSandboxTeam } from './bot/sandboxTeam';
import { createServer, HttpServer, listen } from './server';
import { mountRoutes } from './appRoutes';

/** What the sandbox adds: the simulated tenant's stand-in for Teams SSO and demo ids for help. */
export interface SandboxLink {
  readonly ssoToken: (aadObjectId: string) => Promise<string | null>;
  readonly examples: HelpExamples;
  /** Posts demo notifications for this user through the real intake; returns how many were accepted. */
  readonly demo: (aadObjectId: string) => Promise<number>;
  /** The Playground's team whose alerts channel hears every category. */
  readonly alertsTeam?: SandboxAlertsTeam;
}

export interface AppExtras {
  readonly sandbox?: SandboxLink;
  /** Listen on this host only (tests); default all interfaces. */
  readonly host?: string;
  readonly port?: number;
}

export interface RunningApp {
  readonly http: HttpServer;
  readonly bot: GovernanceBot;
  /** Stops taking turns and deliveries, finishes what is under way, flushes captured references
   * and closes the state store, all within `deadlineMs` (src/shutdown.ts divides it). */
  close(deadlineMs?: number): Promise<void>;
}

/**
 * The Application ID URI of the SSO app (AAD_APP_CLIENT_ID), which Teams names as the SSO
 * token's audience: scripts/register-sso-app.js sets api://botid-{BOT_ID} and the manifest's
 * webApplicationInfo.resource says the same; BOT_ID is the Azure Bot's app id, MicrosoftAppId.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-register-aad
 */
export function ssoResourceUri(botAppId: string): string | null {
  return botAppId ? `api://botid-${botAppId}` : null;
}

export async function startApp(config: Config, logger: Logger, extras: AppExtras): Promise<RunningApp> {
  if (!config.sso) throw new Error('The SSO app is not configured.');
  const publicBaseUrl = config.publicBaseUrl;
  if (!publicBaseUrl) throw new Error('The bot public URL (BOT_ENDPOINT) is not configured.');
  // Every Graph exchange logs its ids, Date and diagnostic (graph/best-practices-concept#reliability-and-support).
  const gateway = new GraphGateway({
    graphEndpoint: config.graphEndpoint,
    onExchange: (exchange) => logger.info({ event: 'graph.exchange', ...exchange }, 'Microsoft Graph exchange'),
  });
  // Claims, card bindings, pending sign-ins and seen turns live in the state every instance shares.
  const state = await createState(config.storage);
  // Everything the store sets aside is logged once, as it is met (what it met on opening now, a
  // record found unreadable by a later read then): /readyz gives only a count of it.
  // A storm of them (any number of unreadable records) is told at most 100 a minute, then as a count.
  state.watchProblems(
    ({ text, ...where }) => logger.warn({ event: 'state.quarantined', ...where }, text),
    (count, text) => logger.warn({ event: 'state.quarantinedUnlisted', count }, text),
  );
  // Times that go into the state or are compared with times in it (expiry, leases, heartbeats,
  // due times) are read from the state's clock: on Azure Storage the one all machines share.
  const now = state.now;
  const audit = auditTo(logger);
  // Set once the alerts exist: every audited attempt also becomes an "actions taken" alert.
  let onAction: ((line: Parameters<typeof audit>[0]) => void) | null = null;
  const governance = new GovernanceService({
    cloud: config.cloud,
    graph: gateway,
    audit: (line) => {
      audit(line);
      onAction?.(line);
    },
    newId: randomUUID,
  });
  const instances = new Instances(state.records, { now });
  await instances.start((e) =>
    logger.warn({ err: e, event: 'state.heartbeat.failed' }, "could not write this instance's heartbeat"),
  );
  const signInStates = new SignInStates(state.records, { now });
  const signIn = new SignInFlow<PendingCommand>({
    exchanger: new MsalOboExchanger(config.sso, {
      authorityHost: config.authorityHost,
      graphEndpoint: config.graphEndpoint,
    }),
    cache: new UserTokenCache(),
    pending: new PendingSignIns<PendingCommand>(state.records, { now }),
    resourceUri: ssoResourceUri(config.bot.appId),
    // The sandbox stands in for Teams SSO (the Playground has none); Teams itself has no such source.
    silent: extras.sandbox?.ssoToken ?? null,
    // The same URL the mounted pages serve (mountSignInPages below checks the origin again).
    signInUrl: (pendingId, reason, claims) => signInUrl(publicBaseUrl, pendingId, reason, claims),
    states: signInStates,
    signOuts: new SignOutMarks(state.records),
  });
  const cardActions = new CardActionService({
    governance,
    bindings: new CardBindings(state.records),
    claims: new Claims(state.records, { instance: instances.bootId, now }),
    liveness: instances,
    // It compares claims' lease times with its own: the same clock; waiting stays the system's.
    clock: { now, sleep: systemClock.sleep },
    onBackgroundError: (e) => logger.error({ err: e, event: 'card.background.failed' }, 'a late card write failed'),
  });
  const adapter = createAdapter(config, logger);
  const appId = config.bot.appId;
  const references = new ConversationReferences(state.records, {
    onError: (e) => logger.warn({ err: e, event: 'references.save.failed' }, 'could not save a conversation reference'),
  });
  const notifications = new NotificationStore(state);
  // Every turn passes through it; a message never waits for the reference to be stored.
  const referenceCapture = new ReferenceCapture(references, logger);
  adapter.use(referenceCapture);
  const proactive = (reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>) =>
    adapter.continueConversationAsync(appId, reference, logic);
  const send = proactiveSender(adapter, appId);
  const ssoTenant = config.sso.tenantId;
  // References stored for another organization are never sent to (notifications/foreignTenant.ts).
  const servedTenant = servedTenantGuid(config);
  const alerts = createAlerts({
    state,
    references,
    bindings: new CardBindings(state.records),
    send,
    logger,
    owner: instances.bootId,
    tenantId: ssoTenant,
    servedTenant,
    listTeamChannels: teamChannelLister(proactive),
    periodic: true,
    sweepExpired: (stop) => state.sweepExpired(undefined, stop),
    now,
  });
  onAction = alerts.actions.onAudit;
  // The newest edit of each posted card, shared by the instances: the clicked card and its copies.
  const editLog = new CardEditLog<Reply>(state.records);
  const copies = new CardCopyUpdates({
    copies: alerts.copies,
    editLog,
    channelReference: alerts.channelReference,
    userReference: (aadObjectId) => references.forUser(aadObjectId),
    proactive,
    logger,
    servedTenant,
  });
  if (extras.sandbox?.alertsTeam) await seedSandboxTeam(alerts, extras.sandbox.alertsTeam, adapter);
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
  const replyCards = createReplyCards({ cloud: config.cloud, examples: extras.sandbox?.examples ?? null });
  const bot = new GovernanceBot({
    governance,
    signIn,
    cardActions,
    cards: replyCards,
    logger,
    proactive,
    turns: new TurnDedup(state.records),
    editLog,
    tenantId: config.sso.tenantId,
    demo: extras.sandbox?.demo ?? null,
    lists: {
      myWork: new MyWorkReader(gateway),
      bindings: new CardBindings(state.records),
      listCards: new ListCards<WorkItem>(state.records),
    },
    alerts: new AlertTurns({
      subscriptions: alerts.subscriptions,
      reach: alerts.reach,
      authority: { adminGroupIds: config.alerts.adminGroupIds },
      memberGroups: async (user) => {
        const token = await signIn.tokenFor(user);
        if (token.kind !== 'token') return null;
        return checkMemberGroups(gateway, token.token, config.alerts.adminGroupIds);
      },
      cards: replyCards,
      logger,
      tenantId: ssoTenant,
      editLog,
    }),
    copies,
  });
  // Ready means: the state store takes writes and Entra's token service answers (every sign-in and
  // the intake's key checks need it).
  const entra = new EntraReachability({ authorityHost: config.authorityHost, tenantId: config.sso.tenantId });
  const readiness = {
    check: async (): Promise<void> => {
      await state.check();
      await entra.check();
    },
    quarantined: () => state.problemCount(),
  };
  const server = createServer(adapter, bot, logger, { readiness });
  mountRoutes(server, {
    config,
    sso: config.sso,
    publicBaseUrl,
    signIn,
    signInStates,
    notifications,
    deliverer,
    alerts,
    logger,
  });
  const http = await listen(server, extras.port ?? config.port, extras.host);
  // Rows queued before a crash or a restart are delivered now, each under its lease.
  deliverer.start();
  // A store that cannot be written never stops the start (the intake answers 503, /readyz says
  // why); the periodic alerts pass is queued as soon as the store takes it: every instance checks
  // the periodic row once a period from now on, and queues it again if it is gone.
  alerts.worker.startPeriodic().catch((e: unknown) => {
    logger.warn({ err: e, event: 'alerts.periodic.start.failed' }, 'could not queue the periodic alerts pass');
  });
  return {
    http,
    bot,
    close: (deadlineMs = SHUTDOWN_MS) =>
      shutDown(
        {
          stopDelivery: async (withinMs) => {
            // The worker's deadline is when it aborts the sends still under way; giving their rows
            // back (and ending their claims) takes up to ABORT_GRACE_MS more, inside withinMs.
            const drainMs = Math.max(0, withinMs - ABORT_GRACE_MS);
            await Promise.all([deliverer.stop(drainMs), withDeadline(alerts.worker.stopPeriodic(), withinMs)]);
          },
          closeServer: () => http.close(),
          dropConnections: () => http.server.server.closeAllConnections(),
          turnsIdle: [() => bot.idle(), () => cardActions.idle(), () => referenceCapture.idle(), () => copies.idle()],
          drainCounts: () => alerts.digest.drain(),
          hooksIdle: () => alerts.actions.idle(),
          flushReferences: (withinMs) => references.flush(withinMs),
          stopInstance: () => instances.stop(),
          closeStore: () => state.close(),
        },
        deadlineMs,
      ),
  };
}
