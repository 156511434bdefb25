// The real handler on botbuilder's TestAdapter, with the simulated tenant mounted in process as
// the Graph client's terminal step and its token endpoint as the on-behalf-of exchange, and
// SqliteState on a temporary directory. Fast and deterministic: no sockets, no fixed sleeps.
// Several rigs may share one state directory: they are then several bot instances. The Teams side
// (TestAdapter, what turns send and update) is TurnRecorder's; the on-behalf-of exchange TenantObo's.

import { Activity } from 'botbuilder';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { signInUrl } from '../../src/auth/signInPages';
import { SignOutMarks } from '../../src/auth/signOuts';
import { SignInFlow } from '../../src/auth/sso';
import { OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { signInSeenByTheUserOnly } from '../../src/bot/personalChat';
import { PendingCommand } from '../../src/bot/commandTurns';
import { GovernanceBot, GovernanceBotDeps } from '../../src/bot/governanceBot';
import { ReferenceCapture } from '../../src/bot/referenceCapture';
import { createReplyCards } from '../../src/bot/replyCards';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';
import { CardActionService } from '../../src/domain/cardAction';
import { Clock, systemClock } from '../../src/domain/clock';
import { AuditLine, GovernanceService } from '../../src/domain/governance';
import { Cloud, Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { MyWorkReader } from '../../src/graph/myWorkReader';
import type { WorkItem } from '../../src/domain/myWork';
import { ListCards } from '../../src/state/listCards';
import { auditTo, createLogger } from '../../src/log';
import { tenantFetch } from '../../src/sandbox/server';
import { pressedData } from '../fixtures/pressedData';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { CardBindings } from '../../src/state/cardBindings';
import { CardEditLog } from '../../src/state/cardEditLog';
import { Claims } from '../../src/state/claims';
import { Instances } from '../../src/state/instances';
import type { Records } from '../../src/state/port';
import { PendingSignIns } from '../../src/state/signIns';
import { SignInStates } from '../../src/state/signInStates';
import { SqliteState } from '../../src/state/sqlite';
import { TurnDedup } from '../../src/state/turnDedup';
import { TenantObo } from './tenantObo';
import { TurnRecorder, personalActivity } from './turnRecorder';

export const GRAPH = 'https://127.0.0.1:9443';
/** Where the rig's sign-in buttons point (no pages are served: tests issue states directly). */
export const BOT_ORIGIN = 'https://bot.contoso.test';

export interface User {
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
}

/** Holds a Graph request until the test lets it go, with the answer the test chooses. */
export type Hold = (req: Request) => Promise<Response> | null;

export interface RigOptions {
  readonly dir?: string;
  readonly tenant?: SimulatedTenant;
  readonly clock?: Clock;
  /** Sandbox-style silent SSO (the simulated tenant hands out SSO tokens). */
  readonly silent?: boolean;
  readonly leaseMs?: number;
  readonly budgetMs?: number;
  readonly renewEveryMs?: number;
  readonly processAlive?: (pid: number) => boolean;
  /** Where the sign-in buttons point (the origin of mounted sign-in pages), default BOT_ORIGIN. */
  readonly botOrigin?: string;
  /** Wraps the records the waiting sign-ins are kept in (to fail their writes). */
  readonly pendingRecords?: (inner: Records) => Records;
  /** Wraps the records the sign-out marks are kept in (to fail their reads). */
  readonly signOutRecords?: (inner: Records) => Records;
  /** How a token exchange waits to look again at a sign-in another instance's exchange holds;
   * by default at once (a turn of the event loop), so a holder that never ends is given up on fast. */
  readonly exchangePause?: (ms: number) => Promise<void>;
  /** Wraps the on-behalf-of exchange (to hold it, or count its calls). */
  readonly obo?: (inner: OboExchanger) => OboExchanger;
  /** How the Graph client waits before sending a call again (429, a read's 503); real time by default. */
  readonly graphSleep?: (ms: number) => Promise<void>;
  /** Graph's deadlines and waits (the client's and the governance service's) run on `clock` too,
   * so a held answer is cut at its deadline when the test moves the clock there. */
  readonly graphOnClock?: true;
  /** Extra handler parts built over this rig's state (channel alerts), and a second audit sink. */
  readonly extend?: (rig: Rig) => { deps?: Partial<GovernanceBotDeps>; onAudit?: (line: AuditLine) => void };
  /** The bot's CLOUD (default global): the governance service's, the cards' and the sign-in's. */
  readonly cloud?: Cloud;
}

export class Rig extends TurnRecorder {
  readonly seed: DemoSeed;
  readonly tenant: SimulatedTenant;
  readonly state: SqliteState;
  readonly bindings: CardBindings;
  readonly bot: GovernanceBot;
  /** The card-action service the bot uses (its idle() waits for writes that outlived their clicks). */
  readonly cardActions: CardActionService<unknown>;
  readonly logs: Array<Record<string, unknown>> = [];
  readonly instances: Instances;
  readonly capture: ReferenceCapture;
  readonly signInStates: SignInStates;
  readonly signInFlow: SignInFlow<PendingCommand>;
  readonly logger: ReturnType<typeof createLogger>;
  hold: Hold | null = null;
  private nextId = 0;

  constructor(
    readonly dir: string,
    opts: RigOptions = {},
  ) {
    super();
    this.seed = opts.tenant?.seed ?? loadDemoSeed();
    this.tenant = opts.tenant ?? new SimulatedTenant(this.seed);
    const clock = opts.clock ?? systemClock;
    this.state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock.now() });
    const records = this.state.records;
    const logger = createLogger({
      level: 'debug',
      destination: { write: (s: string) => this.logs.push(JSON.parse(s)) },
    });
    const graphFetch = tenantFetch(this.tenant, GRAPH);
    const onClock = opts.graphOnClock
      ? { now: () => clock.now(), sleep: (ms: number) => clock.sleep(ms) }
      : ({} as Record<string, never>);
    const gateway = new GraphGateway({
      graphEndpoint: GRAPH,
      ...onClock,
      ...(opts.graphOnClock ? { timer: (ms: number, signal: AbortSignal) => clock.sleep(ms, signal) } : {}),
      ...(opts.graphSleep ? { sleep: opts.graphSleep } : {}),
      fetch: (input, init) => {
        const held = this.hold?.(new Request(input, init));
        return held ?? graphFetch(input, init);
      },
    });
    const hooks: { onAudit?: (line: AuditLine) => void } = {};
    const audit = auditTo(logger);
    const cloud = opts.cloud ?? 'global';
    const governance = new GovernanceService({
      cloud,
      graph: gateway,
      audit: (line) => {
        audit(line);
        hooks.onAudit?.(line);
      },
      newId: () => `corr-${++this.nextId}`,
      ...onClock,
    });
    this.instances = new Instances(records, {
      now: () => clock.now(),
      ...(opts.processAlive ? { processAlive: opts.processAlive } : {}),
    });
    this.signInStates = new SignInStates(records, { now: () => clock.now() });
    const signIn = new SignInFlow<PendingCommand>({
      exchanger: (opts.obo ?? ((inner) => inner))(new TenantObo(this.tenant, GRAPH)),
      cache: new UserTokenCache(),
      pending: new PendingSignIns<PendingCommand>(opts.pendingRecords?.(records) ?? records, {
        now: () => clock.now(),
      }),
      resourceUri: `api://botid-${this.seed.app.clientId}`,
      passwordResetPage: PASSWORD_RESET_PAGES[cloud],
      silent: opts.silent ? async (aad) => this.tenant.issueSsoToken(aad, this.seed.app.clientId) : null,
      signInUrl: (id, reason, claims) => signInUrl(opts.botOrigin ?? BOT_ORIGIN, id, reason, claims),
      states: this.signInStates,
      // Sign outs shared by the instances, as the app wires them.
      signOuts: new SignOutMarks(opts.signOutRecords?.(records) ?? records),
      // login_hint only for a personal chat's card, as the app wires it.
      seenByTheUserOnly: signInSeenByTheUserOnly,
      exchangePause: opts.exchangePause ?? (() => new Promise((resolve) => setImmediate(resolve))),
    });
    this.signInFlow = signIn;
    this.bindings = new CardBindings(records);
    const cardActions = (this.cardActions = new CardActionService<unknown>({
      governance,
      bindings: this.bindings,
      claims: new Claims(records, { instance: this.instances.bootId, now: () => clock.now(), leaseMs: opts.leaseMs }),
      liveness: this.instances,
      clock,
      onBackgroundError: (e) => logger.error({ err: e, event: 'card.background.failed' }, 'late write failed'),
      ...(opts.budgetMs !== undefined ? { budgetMs: opts.budgetMs } : {}),
      ...(opts.renewEveryMs !== undefined ? { renewEveryMs: opts.renewEveryMs } : {}),
    }));
    this.capture = new ReferenceCapture({ remember: async () => undefined, forget: async () => undefined }, logger);
    this.adapter.use(this.capture);
    this.logger = logger;
    const extension = opts.extend?.(this);
    hooks.onAudit = extension?.onAudit;
    this.bot = new GovernanceBot({
      governance,
      signIn,
      cardActions,
      cards: createReplyCards({ cloud, examples: null }),
      logger,
      proactive: (reference, logic) => this.proactive(reference, logic),
      turns: new TurnDedup(records),
      editLog: new CardEditLog(records),
      tenantId: this.seed.tenantId,
      typingEveryMs: 60_000,
      lists: {
        myWork: new MyWorkReader(gateway, opts.graphSleep ? { sleep: opts.graphSleep } : {}),
        bindings: this.bindings,
        listCards: new ListCards<WorkItem>(records),
      },
      ...extension?.deps,
    });
  }

  static dir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-rig-'));
  }

  user(index: number): User {
    const u = this.seed.users[index]!;
    return { id: `29:${u.id}`, aadObjectId: u.id, name: u.displayName };
  }

  sso(user: User): string {
    return this.tenant.issueSsoToken(user.aadObjectId, this.seed.app.clientId);
  }

  conversationOf(user: User): string {
    return `a:personal-${user.aadObjectId}`;
  }

  activity(user: User, extra: Partial<Activity>): Partial<Activity> {
    return personalActivity(`act-${++this.nextId}`, this.seed.tenantId, user, this.conversationOf(user), extra);
  }

  /** Runs one turn; what it sent, and the invoke answer if any. */
  turn(activity: Partial<Activity>) {
    return this.runTurn(activity, (c) => this.bot.run(c));
  }

  message(user: User, text: string, extra: Partial<Activity> = {}) {
    return this.turn(this.activity(user, { type: 'message', text, ...extra }));
  }

  invoke(user: User, name: string, value: unknown, extra: Partial<Activity> = {}) {
    return this.turn(this.activity(user, { type: 'invoke', name, value, ...extra }));
  }

  /** An Action.Execute press of `target`'s button on the card `cardId` (with the reason its box
   * asks for, if any: pressedData). */
  async click(user: User, target: Target, cardId: string, extra: Record<string, unknown> = {}) {
    const value = {
      action: { type: 'Action.Execute', verb: 'governance.act', data: pressedData(target) },
      trigger: 'manual',
      ...extra,
    };
    const r = await this.invoke(user, 'adaptiveCard/action', value, { replyToId: cardId });
    return {
      status: r.invoke?.status,
      body: r.invoke?.body as { statusCode: number; type: string; value: unknown },
      sent: r.sent,
    };
  }

  /** Posts (binds) a card showing `items` in the user's chat, as the notification delivery does. */
  async postCard(user: User, cardId: string, ...items: Target[]): Promise<void> {
    await this.bindings.bind(
      this.conversationOf(user),
      cardId,
      items.map((t) => ({ operation: t.operation, ids: t.ids })),
    );
  }

  /** Signs the user in with their own SSO token (as a Universal Actions re-sent click would). */
  async signIn(user: User): Promise<void> {
    const dummy: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: '00000000-0000-0000-0000-0000000000aa' },
    };
    await this.postCard(user, 'warm-up', dummy);
    await this.click(user, dummy, 'warm-up', {
      authentication: { id: 'x', connectionName: '', token: this.sso(user) },
    });
    this.updates.length = 0;
    this.sent.length = 0;
    this.tenant.clearLog();
  }

  writes() {
    return this.tenant.graphRequests().filter((r) => r.method === 'POST');
  }

  async close(): Promise<void> {
    await this.bot.idle();
    await this.capture.idle();
    await this.state.close();
  }
}

/** Text of every card an activity carries, for assertions. */
export function cardsOf(activities: ReadonlyArray<Partial<Activity>>): string {
  return JSON.stringify(activities.map((a) => (a.attachments ?? []).map((x) => x.content)));
}
