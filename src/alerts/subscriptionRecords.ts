// The records of alert subscriptions on the state port (subscriptions.ts says how they are kept
// consistent, and in which order these writes go): their keys and shapes, and each single-record
// edit a change makes (an index gaining or losing a channel, a team's channel lists).

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
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

/** Adds `ref` to the topic's index (no write when it is there already). */
export function addToIndex(records: Records, topic: AlertTopic, ref: ChannelRef): Promise<unknown> {
  return updateRecord<IndexRecord>(
    records,
    indexKey(topic),
    (cur) => {
      const next = withChannel(cur, ref);
      return next ? { next } : 'keep';
    },
    'none',
  );
}

/** Takes the channel out of the topic's index (no write when it is not there). */
export function removeFromIndex(records: Records, topic: AlertTopic, channelId: string): Promise<unknown> {
  return updateRecord<IndexRecord>(
    records,
    indexKey(topic),
    (cur) =>
      cur?.channels.some((c) => c.channelId === channelId)
        ? { next: { channels: cur.channels.filter((c) => c.channelId !== channelId) } }
        : 'keep',
    'none',
  );
}

/** The team's channels as Teams lists them now, its subscribed channels kept: the record written. */
export function writeTeamChannels(
  records: Records,
  teamId: string,
  channels: readonly TeamChannel[],
): Promise<TeamRecord | null> {
  return updateRecord<TeamRecord>(
    records,
    teamKey(teamId),
    (cur) => ({ next: { teamId, channels, subscribed: cur?.subscribed ?? [] } }),
    'none',
  );
}

/** The channel has a subscription record now: the team lists it as subscribed, and the channel
 * names its team. */
export async function markSubscribed(records: Records, ref: ChannelRef): Promise<void> {
  await updateRecord<TeamRecord>(
    records,
    teamKey(ref.teamId),
    (cur) =>
      cur?.subscribed.includes(ref.channelId)
        ? 'keep'
        : {
            next: {
              teamId: ref.teamId,
              channels: cur?.channels ?? [],
              subscribed: [...(cur?.subscribed ?? []), ref.channelId],
            },
          },
    'none',
  );
  await records.put(channelTeamKey(ref.channelId), { teamId: ref.teamId }, 'none');
}

/** A deleted channel leaves its team's lists (no write when the team is unknown). */
export function dropTeamChannel(records: Records, teamId: string, channelId: string): Promise<unknown> {
  return updateRecord<TeamRecord>(
    records,
    teamKey(teamId),
    (cur) =>
      cur
        ? {
            next: {
              ...cur,
              channels: cur.channels.filter((c) => c.id !== channelId),
              subscribed: cur.subscribed.filter((id) => id !== channelId),
            },
          }
        : 'keep',
    'none',
  );
}
