// One bot in production shape (inbound JWT validation on) against the simulated tenant over HTTPS,
// for the contract tests (../shared/contract.md): the mocha hooks that start and stop it, reset the
// tenant before each test, and the helpers that speak to it as Teams would. Each contract file calls
// contractSession() inside its describe and so runs its own world and bot.

import { strict as assert } from 'node:assert';
import {
  BotProcess,
  RecordedCall,
  Who,
  World,
  cardText,
  invoke,
  isCard,
  message,
  post,
  startBot,
  startWorld,
  userOf,
} from './harness';

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Kind = 'personal' | 'groupChat' | 'channel';

export interface ContractSession {
  /** The world and the users of the seed; read them in tests or hooks, after the session started. */
  readonly world: World;
  readonly bot: BotProcess;
  readonly admin: Who;
  readonly requester: Who;
  readonly noConsent: Who;
  readonly mfaUser: Who;
  messagesTo(conversationId: string, after?: number): RecordedCall[];
  /** Sends a message and returns the next message the bot posts to that conversation. */
  say(
    from: Who,
    text: string,
    kind?: Kind,
    conversationId?: string,
  ): Promise<{ activity: ReturnType<typeof message>; reply: RecordedCall; conv: string; mark: number }>;
  /** Answers the OAuth card with Teams' signin/tokenExchange invoke (the user's own SSO token by default). */
  exchange(from: Who, oauth: RecordedCall, token?: string, conversationId?: string): ReturnType<typeof post>;
  /** Signs the user in by the real Teams SSO path; returns the result of the command that asked. */
  run(from: Who, text: string, kind?: Kind): Promise<RecordedCall>;
  signOut(from: Who): Promise<void>;
  /**
   * Makes sure the user holds a token, for a test that needs one from the start: a cancel of a
   * request that does not exist needs a token and changes nothing.
   */
  signIn(from: Who): Promise<void>;
  /** The audit lines the bot has written so far (its earlier processes' included: settle()). */
  audits(): Array<Record<string, unknown>>;
  /** The JSON log lines the bot has printed so far (its earlier processes' included: settle()). */
  logLines(): Array<Record<string, unknown>>;
  /**
   * Stops the bot as production stops it (BotProcess.drain: it finishes all the work under way
   * first, so nothing it was asked to do can still happen after), then starts a new one on the same
   * state: the session's bot from then on. The moment to assert that something happened once, or
   * not at all.
   */
  settle(): Promise<void>;
  /**
   * Registers the test that nothing this bot printed or sent, over the whole file, holds a token, a
   * secret or an Authorization header. Call it last in the describe, so it sees every test's output.
   */
  itPrintsNoSecrets(): void;
}

export function contractSession(): ContractSession {
  let world: World | undefined;
  let bot: BotProcess | undefined;
  /** The processes settle() stopped, for the lines and the output they left. */
  const stopped: BotProcess[] = [];

  before(async () => {
    world = await startWorld();
    bot = await startBot(world, world.botEnv());
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
  });

  beforeEach(() => {
    const w = started().world;
    w.tenant.load(w.seed);
    w.tenant.clearFaults();
    w.tenant.clearLog();
  });

  function started(): { world: World; bot: BotProcess } {
    if (!world || !bot) throw new Error('the contract session is used before its before hook started it');
    return { world, bot };
  }

  const messagesTo = (conversationId: string, after = 0): RecordedCall[] =>
    started()
      .world.calls.slice(after)
      .filter((c) => c.conversationId === conversationId && c.activity.type === 'message');

  async function say(from: Who, text: string, kind: Kind = 'personal', conversationId?: string) {
    const { world, bot } = started();
    const activity = message(world, from, text, kind, conversationId);
    const mark = world.calls.length;
    const res = await post(world, bot, activity);
    assert.equal(res.status, 200, res.body);
    const conv = (activity.conversation as { id: string }).id;
    const reply = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    return { activity, reply, conv, mark };
  }

  async function exchange(from: Who, oauth: RecordedCall, token?: string, conversationId?: string) {
    const { world, bot } = started();
    const content = (
      oauth.activity.attachments as Array<{
        content: { tokenExchangeResource: { id: string }; connectionName: string };
      }>
    )[0]!.content;
    const sso = token ?? world.tenant.issueSsoToken(from.aadObjectId, world.seed.app.clientId);
    const inv = invoke(
      world,
      from,
      'signin/tokenExchange',
      { id: content.tokenExchangeResource.id, connectionName: content.connectionName, token: sso },
      conversationId ?? oauth.conversationId,
    );
    return post(world, bot, inv);
  }

  async function run(from: Who, text: string, kind: Kind = 'personal') {
    const { world } = started();
    const first = await say(from, text, kind);
    if (!isCard(first.reply, 'application/vnd.microsoft.card.oauth')) return first.reply;
    const mark = world.calls.length;
    const res = await exchange(from, first.reply);
    assert.equal(res.status, 200, res.body);
    return world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === first.conv && c.activity.type === 'message',
    );
  }

  async function signOut(from: Who) {
    const { reply } = await say(from, 'sign out');
    assert.match(cardText(reply), /Signed out/);
  }

  async function signIn(from: Who) {
    const reply = await run(from, 'cancel group-request 00000000-0000-0000-0000-00000000000a');
    assert.match(cardText(reply), /no longer exists/, 'the command ran as the signed-in user');
  }

  const logLines = () => [...stopped, started().bot].flatMap((b) => b.lines());
  const audits = () => logLines().filter((l) => l.event === 'governance.action');

  async function settle() {
    const { world, bot: old } = started();
    await old.drain();
    stopped.push(old);
    bot = await startBot(world, world.botEnv());
  }

  function itPrintsNoSecrets() {
    it('puts no token, secret or Authorization header in any output', () => {
      const { world, bot } = started();
      // Every file's bot answers at least one activity; an empty record would prove nothing below.
      assert.ok(world.calls.length > 0, 'the bot sent something to check');
      const outputs = [
        ...[...stopped, bot].flatMap((b) => [b.stdout(), b.stderr()]),
        JSON.stringify(world.calls.map((c) => c.activity)),
      ].join('\n');
      assert.doesNotMatch(outputs, /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'no JWT');
      assert.ok(!outputs.includes(world.seed.app.clientSecret), 'no client secret');
      assert.ok(!outputs.includes('msi-header-secret-value'), 'no identity header');
      assert.doesNotMatch(outputs, /Bearer [A-Za-z0-9]/);
      assert.ok(
        world.calls.every((c) => c.authorized),
        'every reply carried the bot token from managed identity',
      );
    });
  }

  return {
    get world() {
      return started().world;
    },
    get bot() {
      return started().bot;
    },
    get admin() {
      return userOf(started().world.seed, 0);
    },
    get requester() {
      return userOf(started().world.seed, 1);
    },
    get noConsent() {
      return userOf(started().world.seed, 2);
    },
    get mfaUser() {
      return userOf(started().world.seed, 3);
    },
    messagesTo,
    say,
    exchange,
    run,
    signOut,
    signIn,
    audits,
    logLines,
    settle,
    itPrintsNoSecrets,
  };
}
