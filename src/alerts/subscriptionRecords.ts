// The records of alert subscriptions on the state port (subscriptions.ts says how they are kept
// consistent): their keys and shapes, the one index edit, and two small helpers of a change.

import { AlertTopic, CATEGORY_IDS } from './categories';
import type { ChannelRef, ChannelSubscriptions, TeamChannel } from './subscriptions';

export interface ChannelRecord extends ChannelSubscriptions {
  readonly confirmations?: number;
  readonly updatedAt: number;
}
export interface IndexRecord {
  readonly channels: readonly ChannelRef[];
}
export interface TeamRecord {
  readonly teamId: string;
  readonly channels: readonly TeamChannel[];
  /** Channels that have (or had, until forgotten) a subscription record. */
  readonly subscribed: readonly string[];
}

export const channelKey = (channelId: string) => `alerts:channel:${channelId}`;
export const indexKey = (topic: AlertTopic) => (topic === 'digest' ? 'alerts:digest' : `alerts:category:${topic}`);
export const teamKey = (teamId: string) => `alerts:team:${teamId}`;
export const channelTeamKey = (channelId: string) => `alerts:channelTeam:${channelId}`;

/** The index with `ref` in it, or null when it has it already. */
export function withChannel(index: IndexRecord | null, ref: ChannelRef): IndexRecord | null {
  const channels = index?.channels ?? [];
  if (channels.some((c) => c.channelId === ref.channelId && c.teamId === ref.teamId)) return null;
  return { channels: [...channels.filter((c) => c.channelId !== ref.channelId), ref] };
}

/** Every topic off: what forgetting a channel asks for. */
export function allOff(): Partial<Record<AlertTopic, boolean>> {
  const off: Partial<Record<AlertTopic, boolean>> = { digest: false };
  for (const id of CATEGORY_IDS) off[id] = false;
  return off;
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
