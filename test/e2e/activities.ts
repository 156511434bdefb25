// The activities Teams sends the bot in end-to-end tests, and what tests read back: the seed's users
// as Teams names them, messages (personal, group chat, channel with the bot @mentioned) and invokes
// with the envelope every activity carries, a post to /api/messages signed by the world's channel
// (or signed wrongly, on purpose), and the Adaptive Cards in what the bot sent to the connector.

import { randomUUID } from 'node:crypto';
import type { DemoSeed } from '../../src/sandbox/seed';
import { BOT_APP_ID } from './botIdentity';
import type { BotProcess } from './botProcess';
import type { AuthMode, RecordedCall, World } from './harness';

export interface Who {
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
}

export function userOf(seed: DemoSeed, index: number): Who {
  const u = seed.users[index]!;
  return { id: `29:${u.id}`, aadObjectId: u.id, name: u.displayName };
}

type Kind = 'personal' | 'groupChat' | 'channel';

/** What every activity from Teams carries: its id, time, channel, service URL, sender and the bot. */
function envelope(world: World, from: Who, id: string) {
  return {
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: world.serviceUrl,
    from,
    recipient: { id: `28:${BOT_APP_ID}`, name: 'Governance Bot' },
  };
}

export function message(world: World, from: Who, text: string, kind: Kind = 'personal', conversationId?: string) {
  const convId =
    conversationId ??
    (kind === 'personal'
      ? `a:personal-${from.aadObjectId}`
      : kind === 'groupChat'
        ? '19:group@thread.v2'
        : '19:channel@thread.tacv2');
  const mention = kind === 'channel' ? '<at>Governance Bot</at> ' : '';
  return {
    ...envelope(world, from, `msg-${randomUUID()}`),
    type: 'message',
    conversation: {
      id: convId,
      conversationType: kind === 'personal' ? 'personal' : kind,
      tenantId: world.seed.tenantId,
      ...(kind === 'personal' ? {} : { isGroup: true }),
    },
    text: `${mention}${text}`,
    textFormat: 'plain',
    entities:
      kind === 'channel'
        ? [
            {
              type: 'mention',
              mentioned: { id: `28:${BOT_APP_ID}`, name: 'Governance Bot' },
              text: '<at>Governance Bot</at>',
            },
          ]
        : [],
    channelData: {
      tenant: { id: world.seed.tenantId },
      ...(kind === 'channel' ? { channel: { id: convId }, team: { id: '19:team' } } : {}),
    },
  };
}

export function invoke(world: World, from: Who, name: string, value: unknown, conversationId?: string) {
  return {
    ...envelope(world, from, `inv-${randomUUID()}`),
    type: 'invoke',
    name,
    value,
    conversation: {
      id: conversationId ?? `a:personal-${from.aadObjectId}`,
      conversationType: 'personal',
      tenantId: world.seed.tenantId,
    },
    channelData: { tenant: { id: world.seed.tenantId } },
  };
}

export async function post(
  world: World,
  bot: BotProcess,
  activity: Record<string, unknown>,
  mode: AuthMode = 'valid',
): Promise<{ status: number; body: string }> {
  const auth = world.sign(activity, mode);
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}

/** The first Adaptive Card of a recorded activity, as text, for assertions. */
export function cardText(call: RecordedCall): string {
  const atts = (call.activity.attachments as Array<{ content?: unknown }> | undefined) ?? [];
  return JSON.stringify(atts.map((a) => a.content));
}

export function isCard(call: RecordedCall, contentType = 'application/vnd.microsoft.card.adaptive'): boolean {
  const atts = (call.activity.attachments as Array<{ contentType?: string }> | undefined) ?? [];
  return atts.some((a) => a.contentType === contentType);
}
