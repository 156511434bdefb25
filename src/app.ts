// Wires the concrete parts together. Kept apart from index.ts so that tests and the benchmark
// build exactly what production runs, in process. The services turns work with are built in
// appServices.ts, what reaches Teams without a turn in appOutbound.ts, the routes beside
// /api/messages in appRoutes.ts; here they meet the adapter, the bot and the HTTP server.

import type { Logger } from 'pino';
import { GovernanceBot } from './bot/governanceBot';
import { createReplyCards } from './bot/replyCards';
import { sweepWithExpiredSignIns } from './bot/signInAbandoned';
import { Config } from './config';
import type { AuditLine } from './domain/governance';
import type { HelpExamples } from './domain/helpExamples';
import { MyWorkReader } from './graph/myWorkReader';
import type { WorkItem } from './domain/myWork';
import { ListCards } from './state/listCards';
import { CardBindings } from './state/cardBindings';
import { shutDown, SHUTDOWN_MS, withDeadline } from './shutdown';
import { TurnDedup } from './state/turnDedup';
import { ABORT_GRACE_MS } from './notifications/outboxLoop';
import { AlertTurns } from './bot/alertTurns';
import { checkMemberGroups } from './graph/memberGroups';
import { ownsGroup } from './graph/ownedGroups';
import type { SandboxAlertsTeam } from './sandbox/alertsTeam';
import { EntraReachability } from './http/entraReachability';
import { createAdapter } from './bot/adapter';
import { seedSandboxTeam } from './bot/sandboxTeam';
import { createServer } from './server';
import { HttpServer, listen } from './serverListen';
import { mountRoutes } from './appRoutes';
import { createOutbound } from './appOutbound';
import { createServices } from './appServices';

export { ssoResourceUri } from './appServices';

/** What the sandbox adds: the simulated tenant's stand-in for Teams SSO and demo ids for help. */
export interface SandboxLink {
  readonly ssoToken: (aadObjectId: string) => Promise<string | null>;
  readonly examples: HelpExamples;
  /** Posts demo notifications for this user through the real intake; returns how many were accepted. */
  readonly demo: (aadObjectId: string) => Promise<number>;
  /** The Playground's team whose alerts channel hears every category. */
  readonly alertsTeam?: SandboxAlertsTeam;
  /** How to reach that team through the Playground, known at start (the launcher started it first). */
  readonly alertsTeamReach?: { readonly serviceUrl: string; readonly botId: string; readonly tenantId: string };
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

export async function startApp(config: Config, logger: Logger, extras: AppExtras): Promise<RunningApp> {
  if (!config.sso) throw new Error('The SSO app is not configured.');
  const publicBaseUrl = config.publicBaseUrl;
  if (!publicBaseUrl) throw new Error('The bot public URL (BOT_ENDPOINT) is not configured.');
  // Set once the alerts exist: every audited attempt also becomes an "actions taken" alert.
  let onAction: ((line: AuditLine) => void) | null = null;
  const { gateway, state, now, governance, instances, signInStates, pending, signIn, cardActions } =
    await createServices(config, logger, {
      sso: config.sso,
      publicBaseUrl,
      silent: extras.sandbox?.ssoToken ?? null,
      onAudit: (line) => onAction?.(line),
    });
  const adapter = createAdapter(config, logger);
  const ssoTenant = config.sso.tenantId;
  const { references, notifications, referenceCapture, proactive, alerts, editLog, copies, deliverer } = createOutbound(
    {
      config,
      logger,
      adapter,
      state,
      now,
      owner: instances.bootId,
      ssoTenant,
      // Before it sweeps expired records, the pass ends the commands whose sign-in ran out, each
      // with its audit line (bot/signInAbandoned.ts).
      sweepExpired: sweepWithExpiredSignIns(pending, governance, (stop) => state.sweepExpired(undefined, stop), logger),
    },
  );
  onAction = alerts.actions.onAudit;
  if (extras.sandbox?.alertsTeam)
    await seedSandboxTeam(alerts, extras.sandbox.alertsTeam, adapter, extras.sandbox.alertsTeamReach);
  const replyCards = createReplyCards({ cloud: config.cloud, examples: extras.sandbox?.examples ?? null });
  const turns = new TurnDedup(state.records);
  const bot = new GovernanceBot({
    governance,
    signIn,
    cardActions,
    cards: replyCards,
    logger,
    proactive,
    turns,
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
      ownsGroup: async (user, groupId) => {
        const token = await signIn.tokenFor(user);
        if (token.kind !== 'token') return null;
        return ownsGroup(gateway, token.token, groupId);
      },
      cards: replyCards,
      logger,
      tenantId: ssoTenant,
      editLog,
      turns,
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
          // A card's copies waiting for their moment are not sent; their next edits show them. A
          // token exchange waiting for another instance's answers now (412), not at its last look.
          stopPacing: () => {
            signIn.stopWaiting();
            copies.stop();
          },
          closeServer: () => http.close(),
          dropConnections: () => http.server.server.closeAllConnections(),
          turnsIdle: [
            { what: 'the turns under way', idle: () => bot.idle() },
            { what: "the card presses' writes under way", idle: () => cardActions.idle() },
            { what: 'the conversation reference writes under way', idle: () => referenceCapture.idle() },
            { what: "the edits of cards' copies under way", idle: () => copies.idle() },
          ],
          drainCounts: () => alerts.digest.drain(),
          hooksIdle: () => alerts.actions.idle(),
          giveUpTurns: () => turns.giveUp(),
          flushReferences: (withinMs) => references.flush(withinMs),
          stopInstance: () => instances.stop(),
          closeStore: () => state.close(),
        },
        deadlineMs,
      ),
  };
}
