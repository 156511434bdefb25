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
  /** Rises with each write (settingsRevision.ts); absent on older records. */
  readonly revision?: number;
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

/** How an addition to a list writes. */
export interface Addition {
  /** Write even when the entry is there already: a new version, which a prune that read the list
   * before the channel record was written then loses its swap against (stalePruning.ts). */
  readonly always?: boolean;
}

/** The index with `ref` in it (its place kept when it is there, last otherwise), or null for no
 * write: it has it already and `how.always` is not asked. */
function withChannel(index: IndexRecord | null, ref: ChannelRef, how: Addition = {}): IndexRecord | null {
  const channels = index?.channels ?? [];
  // Kept in place when there (fan-out order); a stale entry of the channel under another team goes.
  if (channels.some((c) => c.channelId === ref.channelId && c.teamId === ref.teamId))
    return how.always ? { channels } : null;
  return { channels: [...channels.filter((c) => c.channelId !== ref.channelId), ref] };
}

/** How an addition to a team's `subscribed` list writes. */
export interface TeamAddition extends Addition {
  /** Make the team record when there is none. Not when the record's absence means the bot left the
   * team (forgetTeam deleted it): a record made then would list a team the bot is not in. */
  readonly create: boolean;
}

/** The team record with the channel among its subscribed ones, or null for no write (it is there
 * already and `how.always` is not asked, or there is no record and `how.create` is not asked). */
function withSubscribed(team: TeamRecord | null, ref: ChannelRef, how: TeamAddition): TeamRecord | null {
  if (!team && !how.create) return null;
  const subscribed = team?.subscribed ?? [];
  const listed = subscribed.includes(ref.channelId);
  if (listed && !how.always) return null;
  return {
    teamId: ref.teamId,
    channels: team?.channels ?? [],
    subscribed: listed ? subscribed : [...subscribed, ref.channelId],
  };
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

/** Adds `ref` to the topic's index (no write when it is there already, unless `how.always`). */
export function addToIndex(records: Records, topic: AlertTopic, ref: ChannelRef, how: Addition = {}): Promise<unknown> {
  return updateRecord<IndexRecord>(
    records,
    indexKey(topic),
    (cur) => {
      const next = withChannel(cur, ref, how);
      return next ? { next } : 'keep';
    },
    'none',
  );
}

/** Adds the channel to its team's `subscribed` list (withSubscribed says when it writes); true
 * when it wrote. */
export async function addTeamSubscribed(records: Records, ref: ChannelRef, how: TeamAddition): Promise<boolean> {
  let wrote = false;
  await updateRecord<TeamRecord>(
    records,
    teamKey(ref.teamId),
    (cur) => {
      const next = withSubscribed(cur, ref, how);
      wrote = next !== null;
      return next ? { next } : 'keep';
    },
    'none',
  );
  return wrote;
}

/** Whether the channel's record has it hear the topic (suspended or not: its choices stand). */
function follows(channel: ChannelRecord | undefined, topic: AlertTopic): boolean {
  return !!channel && (topic === 'digest' ? channel.digest : channel.categories.includes(topic));
}

/** Takes the channel out of the topic's index (no write when it is not there), unless its record,
 * read after the index, follows the topic: an `on` on another instance that wrote its record after
 * this change's own keeps its entry. The index is written only at the version read (the store's
 * compare-and-swap): an `on` writes the index again after its record, so one that lands between
 * this read and this write fails the write, and the next attempt reads its record. */
export function removeFromIndex(records: Records, topic: AlertTopic, channelId: string): Promise<unknown> {
  return updateRecord<IndexRecord>(
    records,
    indexKey(topic),
    async (cur) => {
      if (!cur?.channels.some((c) => c.channelId === channelId)) return 'keep';
      if (follows((await records.get<ChannelRecord>(channelKey(channelId)))?.value, topic)) return 'keep';
      return { next: { channels: cur.channels.filter((c) => c.channelId !== channelId) } };
    },
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

/** The channel is about to have a subscription record: the team lists it as subscribed (a team
 * record made when there is none), and the channel names its team. */
export async function markSubscribed(records: Records, ref: ChannelRef): Promise<void> {
  await addTeamSubscribed(records, ref, { create: true });
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
