// Bot processes in production shape (inbound JWT validation on) sharing one state directory, for the
// card button tests: the mocha hooks that start and stop them and reset the tenant before each test,
// and the helpers that post (bind) a card in the one group chat, as the notification delivery does,
// and press its buttons as Teams sends the press. Each card file calls cardsSession() inside its
// describe and so runs its own world, bots and state.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';
import { BotProcess, RecordedCall, Who, World, invoke, post, startBot, startWorld } from './harness';

/** The group chat the cards live in. */
export const CHAT = '19:cards@thread.v2';

export interface CardsSession {
  /** The world and the bots; read them in tests or hooks, after the session's before hook. */
  readonly world: World;
  readonly bot: BotProcess;
  /** A second process on the same state (only when the session was asked for one). */
  readonly second: BotProcess;
  roleTarget(id: string): Target;
  /** A card the bot posted in the chat, showing `target` (the id it names is the card's message). */
  posted(target: Target, cardId?: string): Promise<string>;
  /** The invoke of a press of `target`'s button, not yet sent. */
  click(who: Who, target: Target, extra?: Record<string, unknown>): ReturnType<typeof invoke>;
  /** Presses `target`'s button on the card `cardId`, sent to bot `b`; the invoke answer. */
  clickOn(
    b: BotProcess,
    who: Who,
    target: Target,
    cardId: string,
    extra?: Record<string, unknown>,
  ): Promise<{ status: number; body: { statusCode: number; type: string; value: unknown } }>;
  /** Makes sure the user holds a token in that process (Universal Actions sign-in). */
  signIn(b: BotProcess, who: Who): Promise<void>;
  /** The Graph writes since the log was last cleared. */
  writes(): ReturnType<World['tenant']['graphRequests']>;
  /** The card updates (PUT) the bots sent for this card. */
  updatesOf(cardId: string): RecordedCall[];
  /**
   * Stops the bots as production stops them (BotProcess.drain: each finishes its turns under way and
   * the work they started, such as the edit for everyone, first), then starts new ones on the same
   * state: the session's bots from then on (read `bot` and `second` again). After it nothing a click
   * started can still happen: the moment to assert that Graph was written once, or not at all.
   */
  settle(): Promise<void>;
}

export function cardsSession(options: { secondProcess?: boolean } = {}): CardsSession {
  let world: World | undefined;
  let bot: BotProcess | undefined;
  let second: BotProcess | undefined;
  let state: SqliteState | undefined;
  let bindings: CardBindings | undefined;
  let stateDir: string | undefined;

  before(async () => {
    world = await startWorld();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-claims-'));
    bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    if (options.secondProcess) second = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    state = new SqliteState(path.join(stateDir, 'state.db'));
    bindings = new CardBindings(state.records);
  });

  after(async () => {
    await bot?.stop();
    await second?.stop();
    await state?.close();
    await world?.close();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    const { world } = started();
    world.tenant.load(world.seed);
    world.tenant.clearFaults();
    world.tenant.clearLog();
  });

  async function settle(): Promise<void> {
    const { world, bot: old } = started();
    if (!stateDir) throw new Error('the cards session is settled before its before hook ran');
    await Promise.all([old.drain(), second?.drain()]);
    const env = world.botEnv({ STATE_DIRECTORY: stateDir });
    bot = await startBot(world, env);
    if (second) second = await startBot(world, env);
  }

  function started(): { world: World; bot: BotProcess; bindings: CardBindings } {
    if (!world || !bot || !bindings) throw new Error('the cards session is used before its before hook ran');
    return { world, bot, bindings };
  }

  const roleTarget = (id: string): Target => ({ operation: 'cancelRoleRequest', ids: { requestId: id } });
  let cardSeq = 0;

  async function posted(target: Target, cardId = `card-${++cardSeq}`): Promise<string> {
    await started().bindings.bind(CHAT, cardId, [{ operation: target.operation, ids: target.ids }]);
    return cardId;
  }

  function click(who: Who, target: Target, extra: Record<string, unknown> = {}) {
    return invoke(
      started().world,
      who,
      'adaptiveCard/action',
      {
        action: { type: 'Action.Execute', verb: 'governance.act', data: pressedData(target) },
        trigger: 'manual',
        ...extra,
      },
      CHAT,
    );
  }

  async function clickOn(b: BotProcess, who: Who, target: Target, cardId: string, extra: Record<string, unknown> = {}) {
    const activity = { ...click(who, target, extra), replyToId: cardId };
    const res = await post(started().world, b, activity);
    return {
      status: res.status,
      body: JSON.parse(res.body || '{}') as { statusCode: number; type: string; value: unknown },
    };
  }

  async function signIn(b: BotProcess, who: Who): Promise<void> {
    const { world } = started();
    const t = roleTarget('00000000-0000-0000-0000-0000000000aa');
    const sso = world.tenant.issueSsoToken(who.aadObjectId, world.seed.app.clientId);
    await clickOn(b, who, t, await posted(t), { authentication: { id: 'x', connectionName: '', token: sso } });
  }

  return {
    get world() {
      return started().world;
    },
    get bot() {
      return started().bot;
    },
    get second() {
      started();
      if (!second) throw new Error('this cards session runs one process: ask for secondProcess');
      return second;
    },
    roleTarget,
    posted,
    click,
    clickOn,
    signIn,
    writes: () =>
      started()
        .world.tenant.graphRequests()
        .filter((r) => r.method === 'POST'),
    updatesOf: (cardId) => started().world.calls.filter((c) => c.method === 'PUT' && c.activityId === cardId),
    settle,
  };
}
