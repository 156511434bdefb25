// One bot in production shape (inbound JWT validation on) with its own state directory, for the
// notification intake and delivery tests over real HTTP: the mocha hooks that start and stop it,
// an Entra app token for the caller, the intake's POST and status reads, the events the tests send,
// and the app installed for a user. Each notifications file calls notificationsSession() inside its
// describe and so runs its own world, bot and state.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotProcess, Who, World, message, post, startBot, startWorld, userOf } from './harness';

type Answer = { status: number; body: Record<string, unknown> };

export interface NotificationsSession {
  /** The world, the bot and the tenant server's host; read them in tests or hooks, after the before hook. */
  readonly world: World;
  readonly bot: BotProcess;
  readonly host: string;
  /** An app token of this tenant for this app (or `audience`), with these roles. */
  appToken(roles?: string[], audience?: string): string;
  /** POSTs an event (or a raw body) to the intake of bot `b` with this token (null: none). */
  send(b: BotProcess, body: unknown, token?: string | null): Promise<Answer>;
  /** Reads an event's delivery status from bot `b`. */
  status(b: BotProcess, eventId: string): Promise<Answer>;
  /** Polls the event's status until it is `state`; that status. */
  until(b: BotProcess, eventId: string, state: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /**
   * Waits until the outbox is empty (but for the periodic job's standing row). The delivery worker completes an event's row last, after the
   * send, the outcome and the card's binding (src/notifications/worker.ts); a retry, a duplicate
   * row or a send still under way keeps a row there. So once it is empty every event accepted so
   * far is settled and nothing more will be sent for it: the moment to assert that something was
   * sent only once.
   */
  outboxEmptied(timeoutMs?: number): Promise<void>;
  roleEvent(eventId: string, userId: string, requestId?: string): Record<string, unknown>;
  runEvent(eventId: string, channelId: string): Record<string, unknown>;
  /** The user installs the app in their personal scope. */
  install(who: Who): Promise<void>;
  /** Starts a new bot process on the same state; it is the session's bot from now on (the test ends the old one). */
  startAgain(): Promise<BotProcess>;
}

export function notificationsSession(): NotificationsSession {
  let world: World | undefined;
  let bot: BotProcess | undefined;
  let host = '';
  let stateDir: string | undefined;

  before(async () => {
    world = await startWorld();
    host = new URL(world.tenantServer.url).host;
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-notify-'));
    bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
  });

  after(async () => {
    await bot?.stop();
    await world?.close();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  function started(): { world: World; bot: BotProcess; stateDir: string } {
    if (!world || !bot || !stateDir) throw new Error('the notifications session is used before its before hook ran');
    return { world, bot, stateDir };
  }

  const appToken = (roles: string[] = ['Notifications.Send'], audience?: string) => {
    const { world } = started();
    return world.tenant.issueAppToken({ audience: audience ?? world.seed.app.clientId, roles, host });
  };

  async function send(b: BotProcess, body: unknown, token: string | null = appToken()) {
    const res = await fetch(`${b.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }

  async function status(b: BotProcess, eventId: string) {
    const res = await fetch(`${b.url}/api/notifications/${encodeURIComponent(eventId)}`, {
      headers: { authorization: `Bearer ${appToken()}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function until(b: BotProcess, eventId: string, state: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await status(b, eventId);
      if (s.body.state === state) return s.body;
      if (Date.now() > deadline) throw new Error(`event ${eventId} stayed ${String(s.body.state)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Rows in the outbox of the session's state (read beside the bot: SQLite in WAL mode lets it),
   * but the periodic job's: that one row stays, always due again later (src/alerts/periodicRow.ts). */
  function outboxRows(): number {
    const db = new Database(path.join(started().stateDir, 'state.db'), { readonly: true, fileMustExist: true });
    try {
      const count = db.prepare("SELECT COUNT(*) AS n FROM queue WHERE name = 'outbox' AND id NOT LIKE '@alerts:tick%'");
      return (count.get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  async function outboxEmptied(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let rows = outboxRows(); rows > 0; rows = outboxRows()) {
      if (Date.now() > deadline) throw new Error(`the outbox still holds ${rows} row(s)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const roleEvent = (eventId: string, userId: string, requestId = started().world.seed.examples.roleRequestId) => ({
    eventId,
    kind: 'roleRequest',
    target: { userId },
    requestId,
    principalName: 'Adele Vance',
    roleName: 'Global Administrator',
    duration: '8 hours',
  });

  const runEvent = (eventId: string, channelId: string) => ({
    eventId,
    kind: 'workflowRun',
    target: { channelId },
    workflowId: started().world.seed.examples.workflowId,
    runId: started().world.seed.examples.runId,
    workflowName: 'Onboard new hires',
  });

  async function install(who: Who): Promise<void> {
    const { world, bot } = started();
    const activity = {
      ...message(world, who, ''),
      type: 'installationUpdate',
      action: 'add',
      text: undefined,
    };
    assert.equal((await post(world, bot, activity)).status, 200);
  }

  async function startAgain(): Promise<BotProcess> {
    const { world, stateDir } = started();
    bot = await startBot(world, world.botEnv({ STATE_DIRECTORY: stateDir }));
    return bot;
  }

  return {
    get world() {
      return started().world;
    },
    get bot() {
      return started().bot;
    },
    get host() {
      started();
      return host;
    },
    appToken,
    send,
    status,
    until,
    outboxEmptied,
    roleEvent,
    runEvent,
    install,
    startAgain,
  };
}

export interface AdminNotificationsSession extends NotificationsSession {
  /** The seed's first user (an administrator), who has installed the app. */
  readonly admin: Who;
  /** Waits until the event is delivered; the one card posted whose activity holds `marker`. */
  deliveredCard(eventId: string, marker: string): Promise<string>;
}

/** A notifications session whose seed's first user has installed the app (a before hook
 * registered after the session's own). */
export function adminNotificationsSession(): AdminNotificationsSession {
  const session = notificationsSession();
  let admin: Who | undefined;
  before(async () => {
    admin = userOf(session.world.seed, 0);
    await session.install(admin);
  });
  const deliveredCard = async (eventId: string, marker: string): Promise<string> => {
    const { world, bot } = session;
    await session.until(bot, eventId, 'delivered');
    await session.outboxEmptied();
    const cards = world.calls.filter((c) => c.method === 'POST' && JSON.stringify(c.activity).includes(marker));
    assert.equal(cards.length, 1, `one card for ${eventId}`);
    return JSON.stringify(cards[0]!.activity);
  };
  // The session's members (its getters included) are read through the prototype.
  return Object.create(session, {
    admin: {
      get: (): Who => {
        if (!admin) throw new Error('the notifications session is used before its before hook ran');
        return admin;
      },
    },
    deliveredCard: { value: deliveredCard },
  }) as AdminNotificationsSession;
}
