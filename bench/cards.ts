// Real cards to click, through the public surface only: POST /api/notifications for a fresh pending
// role request, GET /api/notifications/{id} until it settles, and the recording connector for the
// card as posted (its id and its button data, whatever form the bot gives them). Also what a card
// says, read the way a person would: does it still offer the button, does it claim it was done.

import { randomUUID } from 'node:crypto';
import { BOT_APP_ID, BotProcess, RecordedCall, Who, World, cardText, post } from '../test/e2e/harness';
import { buttonsOf } from '../test/fixtures/cardButtons';
import { pool } from './stats';
import { freshRoleRequest, ssoToken } from './users';

export type NotificationTarget = { readonly userId: string } | { readonly channelId: string };

export interface EventStatus {
  readonly eventId: string;
  readonly state: string;
  readonly activityId?: string;
  readonly conversationId?: string;
  readonly reason?: string;
}

export interface PostedCard {
  readonly requestId: string;
  readonly activityId: string;
  readonly conversationId: string;
  /** The Action.Execute data of the card's first button. */
  readonly data: unknown;
  readonly target: NotificationTarget;
}

export function intakeToken(world: World): string {
  return world.tenant.issueAppToken({
    audience: world.seed.app.clientId,
    roles: ['Notifications.Send'],
    host: new URL(world.tenantServer.url).host,
  });
}

export async function postEvent(
  bot: BotProcess,
  token: string,
  event: Record<string, unknown>,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${bot.url}/api/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(event),
  });
  return { status: res.status, body: await res.text() };
}

export async function eventStatus(bot: BotProcess, token: string, eventId: string): Promise<EventStatus> {
  const res = await fetch(`${bot.url}/api/notifications/${encodeURIComponent(eventId)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json().catch(() => ({}))) as Partial<EventStatus>;
  return { eventId, state: res.status === 200 ? String(body.state) : `http ${res.status}`, ...body } as EventStatus;
}

/** Polls every event until none is queued or the deadline passes; returns the last statuses. */
export async function settle(
  bot: BotProcess,
  token: string,
  eventIds: readonly string[],
  deadlineMs: number,
): Promise<Map<string, EventStatus>> {
  const last = new Map<string, EventStatus>();
  const until = Date.now() + deadlineMs;
  let open = [...eventIds];
  while (open.length > 0) {
    await pool(open, 16, async (id) => void last.set(id, await eventStatus(bot, token, id)));
    open = open.filter((id) => last.get(id)?.state === 'queued');
    if (open.length === 0 || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

export const roleEvent = (eventId: string, target: NotificationTarget, requestId: string) => ({
  eventId,
  kind: 'roleRequest',
  target,
  requestId,
  principalName: 'Adele Vance',
  roleName: 'Global Administrator',
  duration: '8 hours',
});

export interface Delivered {
  readonly cards: PostedCard[];
  /** Events the intake did not accept with 202, by status, and the first answer of each status. */
  readonly refused: Map<number, number>;
  readonly firstRefusal: Map<number, string>;
  /** Accepted events that did not arrive as a card, by their last state. */
  readonly lost: Map<string, number>;
}

/** One card per target for a fresh pending role request; the cards that arrived. */
export async function deliverRoleCards(
  world: World,
  bot: BotProcess,
  targets: readonly NotificationTarget[],
  prefix: string,
): Promise<Delivered> {
  const token = intakeToken(world);
  const sent = targets.map((target, i) => ({
    eventId: `${prefix}-${i}`,
    target,
    requestId: freshRoleRequest(world.tenant),
  }));
  const refused = new Map<number, number>();
  const firstRefusal = new Map<number, string>();
  const accepted: typeof sent = [];
  await pool(sent, 16, async (e) => {
    const { status, body } = await postEvent(bot, token, roleEvent(e.eventId, e.target, e.requestId));
    if (status === 202) return void accepted.push(e);
    refused.set(status, (refused.get(status) ?? 0) + 1);
    if (!firstRefusal.has(status)) firstRefusal.set(status, body.slice(0, 300));
  });
  const states = await settle(
    bot,
    token,
    accepted.map((e) => e.eventId),
    120_000,
  );
  const cards: PostedCard[] = [];
  const lost = new Map<string, number>();
  for (const e of accepted) {
    const call = world.calls.find((c) => c.method === 'POST' && cardText(c).includes(e.requestId));
    const s = states.get(e.eventId);
    if (!call || s?.state !== 'delivered') {
      const why = `${s?.state ?? 'unknown'}${call ? '' : ', no card at the connector'}`;
      lost.set(why, (lost.get(why) ?? 0) + 1);
      continue;
    }
    cards.push({
      requestId: e.requestId,
      activityId: s.activityId ?? `act-${world.calls.indexOf(call) + 1}`,
      conversationId: call.conversationId,
      data: firstButton(call.activity)?.data,
      target: e.target,
    });
  }
  return { cards, refused, firstRefusal, lost };
}

/** "3x 500, 2x queued" or "none". */
export function counts(m: ReadonlyMap<unknown, number>): string {
  return m.size === 0 ? 'none' : [...m.entries()].map(([k, n]) => `${n}x ${String(k)}`).join(', ');
}

interface CardJson {
  body?: unknown[];
}

/** A card's buttons: those of the ActionSet its Action.Execute buttons sit in. */
type Button = { type?: string; data?: unknown };

function contentOf(activity: Record<string, unknown>): CardJson | null {
  const atts = (activity.attachments as Array<{ content?: unknown }> | undefined) ?? [];
  return (atts[0]?.content as CardJson | undefined) ?? null;
}

function firstButton(activity: Record<string, unknown>): { data?: unknown } | undefined {
  return buttonsOf<Button>(contentOf(activity))[0];
}

/** An Action.Execute click on a posted card, by `who`, with the SSO token Teams attaches. */
export function clickOn(world: World, who: Who, card: PostedCard): Record<string, unknown> {
  const channel = 'channelId' in card.target;
  return {
    id: `inv-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: world.serviceUrl,
    from: who,
    recipient: { id: `28:${BOT_APP_ID}`, name: 'Governance Bot' },
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: card.activityId,
    value: {
      action: { type: 'Action.Execute', verb: 'governance.act', data: card.data },
      trigger: 'manual',
      authentication: { id: 'bench', connectionName: '', token: ssoToken(world, who) },
    },
    conversation: {
      id: card.conversationId,
      conversationType: channel ? 'channel' : 'personal',
      tenantId: world.seed.tenantId,
      ...(channel ? { isGroup: true } : {}),
    },
    channelData: {
      tenant: { id: world.seed.tenantId },
      ...(channel ? { channel: { id: card.conversationId }, team: { id: '19:bench-team' } } : {}),
    },
  };
}

/** A click and its answer; status 0 when no HTTP answer came (the connection failed). */
/** A click's answer; `status` is the Universal Actions statusCode of an HTTP 200 answer's body. */
export async function click(world: World, bot: BotProcess, who: Who, card: PostedCard) {
  return post(world, bot, clickOn(world, who, card)).then(
    (r) => {
      let inner: unknown;
      try {
        inner = (JSON.parse(r.body) as { statusCode?: unknown }).statusCode;
      } catch {
        inner = undefined;
      }
      return { ...r, status: r.status === 200 && typeof inner === 'number' ? inner : r.status };
    },
    (e: unknown) => ({
      status: 0,
      body: `${String(e)}${e instanceof Error && e.cause ? `: ${String(e.cause)}` : ''}`,
    }),
  );
}

/** Why a bot process stopped answering: its exit and the last error lines it printed. */
export function whatHappenedTo(bot: BotProcess): string {
  const exit = bot.child.exitCode ?? bot.child.signalCode;
  const errors = bot
    .lines()
    .filter((l) => typeof l.level === 'number' && l.level >= 50)
    .slice(-3)
    .map((l) =>
      JSON.stringify({ event: l.event, msg: l.msg, err: (l.err as { message?: unknown } | undefined)?.message }),
    );
  const stderr = bot.stderr().trim().split('\n').slice(-8).join('\n      ');
  return `process ${exit === null ? 'still running' : `exited (${String(exit)})`}; last errors logged: ${errors.join(' ') || 'none'}${stderr ? `; stderr:\n      ${stderr}` : ''}`;
}

/** What a card tells its reader about the item. */
export type CardClaim = 'offers the button' | 'says it was done' | 'says something else';

export function claimOf(card: CardJson | null): CardClaim {
  if (!card) return 'says something else';
  if (buttonsOf<Button>(card).some((a) => a.type === 'Action.Execute' || a.type === 'Action.Submit')) {
    return 'offers the button';
  }
  const text = JSON.stringify(card.body ?? []);
  return /\bcancell?ed\b/i.test(text) ? 'says it was done' : 'says something else';
}

/** The card everyone in the conversation sees now: the last update of it, or the card as posted. */
export function sharedCard(world: World, card: PostedCard): CardJson | null {
  const updates = world.calls.filter((c: RecordedCall) => c.method === 'PUT' && c.activityId === card.activityId);
  const last = updates.at(-1);
  if (last) return contentOf(last.activity);
  const posted = world.calls.find((c) => c.method === 'POST' && cardText(c).includes(card.requestId));
  return posted ? contentOf(posted.activity) : null;
}

/** The card an invoke answer carries (Universal Actions), if any. */
export function answeredCard(body: string): CardJson | null {
  try {
    const b = JSON.parse(body) as { type?: string; value?: unknown };
    return b.type === 'application/vnd.microsoft.card.adaptive' ? (b.value as CardJson) : null;
  } catch {
    return null;
  }
}
