// Wires the concrete parts together. Kept apart from index.ts so that tests and the benchmark
// build exactly what production runs, in process.

import { randomUUID } from 'node:crypto';
import { ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow } from './auth/sso';
import { AzureOboExchanger, UserTokenCache } from './auth/tokens';
import { PendingCommand } from './bot/commandTurns';
import { GovernanceBot } from './bot/governanceBot';
import { ReferenceCapture } from './bot/referenceCapture';
import { createReplyCards, HelpExamples } from './bot/replyCards';
import { Config } from './config';
import { CardActionService } from './domain/cardAction';
import { systemClock } from './domain/clock';
import { GovernanceService } from './domain/governance';
import { GraphGateway } from './graph/graphGateway';
import { auditTo } from './log';
import { CardBindings } from './state/cardBindings';
import { Claims } from './state/claims';
import { createState } from './state/createState';
import { Instances } from './state/instances';
import { PendingSignIns } from './state/signIns';
import { TurnDedup } from './state/turnDedup';
import { createStorage } from './storage/createStorage';
import { Deliverer } from './notifications/delivery';
import { IntakeAuthenticator } from './notifications/intakeAuth';
import { mountNotifications } from './notifications/routes';
import { ConversationReferences, NotificationStore } from './notifications/store';
import { itemCard } from './bot/replyCards';
import { createAdapter, createServer, HttpServer, listen } from './server';

/** What the sandbox adds: the simulated tenant's stand-in for Teams SSO and demo ids for help. */
export interface SandboxLink {
  readonly ssoToken: (aadObjectId: string) => Promise<string | null>;
  readonly examples: HelpExamples;
  /** Posts demo notifications for this user through the real intake; returns how many were accepted. */
  readonly demo: (aadObjectId: string) => Promise<number>;
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
  close(): Promise<void>;
}

export async function startApp(config: Config, logger: Logger, extras: AppExtras): Promise<RunningApp> {
  if (!config.sso) throw new Error('The SSO app is not configured.');
  const gateway = new GraphGateway({ graphEndpoint: config.graphEndpoint });
  const governance = new GovernanceService({
    cloud: config.cloud,
    graph: gateway,
    audit: auditTo(logger),
    newId: randomUUID,
  });
  // Claims, card bindings, pending sign-ins and seen turns live in the state every instance shares.
  const state = createState(config.storage);
  const instances = new Instances(state.records);
  await instances.start();
  const signIn = new SignInFlow<PendingCommand>({
    exchanger: new AzureOboExchanger(config.sso, config.authorityHost, config.graphEndpoint),
    cache: new UserTokenCache(),
    pending: new PendingSignIns<PendingCommand>(state.records),
    resourceUri: config.bot.appId ? `api://botid-${config.bot.appId}` : null,
    // The sandbox stands in for Teams SSO (the Playground has none); Teams itself has no such source.
    silent: extras.sandbox?.ssoToken ?? null,
  });
  const cardActions = new CardActionService({
    governance,
    bindings: new CardBindings(state.records),
    claims: new Claims(state.records, { instance: instances.bootId }),
    liveness: instances,
    clock: systemClock,
    onBackgroundError: (e) => logger.error({ err: e, event: 'card.background.failed' }, 'a late card write failed'),
  });
  const adapter = createAdapter(config, logger);
  const appId = config.bot.appId;
  const storage = createStorage(config.storage);
  const references = new ConversationReferences(storage);
  // Every turn passes through it; a message never waits for the reference to be stored.
  const referenceCapture = new ReferenceCapture(references, logger);
  adapter.use(referenceCapture);
  const notifications = new NotificationStore(storage);
  const deliverer = new Deliverer({
    store: notifications,
    references,
    logger,
    render: (event) =>
      itemCard(event.item, {
        ...(event.title ? { title: event.title } : {}),
        text: event.text,
        facts: event.facts,
        settled: false,
      }),
    send: async (reference, activity) => {
      let id: string | undefined;
      await adapter.continueConversationAsync(appId, reference, async (ctx) => {
        // Sent through the adapter, not ctx.sendActivity, which would make it a reply to the
        // synthetic continuation activity; a notification starts its own message (or thread).
        const out = TurnContext.applyConversationReference({ ...activity }, reference);
        delete out.replyToId;
        id = (await ctx.adapter.sendActivities(ctx, [out]))[0]?.id;
      });
      return id;
    },
  });
  const bot = new GovernanceBot({
    governance,
    signIn,
    cardActions,
    cards: createReplyCards({ cloud: config.cloud, examples: extras.sandbox?.examples ?? null }),
    logger,
    proactive: (reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>) =>
      adapter.continueConversationAsync(appId, reference, logic),
    turns: new TurnDedup(state.records),
    tenantId: config.sso.tenantId,
    demo: extras.sandbox?.demo ?? null,
  });
  const server = createServer(adapter, bot, logger);
  const ssoApp = config.sso;
  mountNotifications(server, {
    auth: new IntakeAuthenticator({
      authorityHost: config.authorityHost,
      tenantId: ssoApp.tenantId,
      audiences: [ssoApp.clientId, `api://${ssoApp.clientId}`, ...(appId ? [`api://botid-${appId}`] : [])],
    }),
    store: notifications,
    deliverer,
    logger,
  });
  const http = await listen(server, extras.port ?? config.port, extras.host);
  // Events accepted before a crash or a restart are delivered now.
  const pending = await deliverer.recover();
  if (pending > 0) logger.info({ event: 'notifications.recovered', pending }, 'delivering queued notifications');
  return {
    http,
    bot,
    close: async () => {
      await cardActions.idle();
      await bot.idle();
      await referenceCapture.idle();
      await deliverer.idle();
      await http.close();
      await instances.stop();
      await state.close();
    },
  };
}
