// Entries of channels whose record is gone (a deleted channel's record expires 35 days after the
// deletion, channelDeletion.ts) are taken out of the category indexes and the team's `subscribed`
// list, so every read and fan-out stops reading them first and the lists stop growing.
//
// A subscribe writes the index (and the team list) before the channel record (subscriptions.ts,
// "superset order"), so an entry whose record is absent may be a subscribe in progress. Two rules
// keep that subscriber:
// 1. A prune reads the list first, then each candidate's record, and writes the list only at the
//    version it read (compare-and-swap; one try, the next read tries again).
// 2. A subscribe, once its record is written, writes the list again (`touch`, always a write, which
//    puts the entry back if it is missing).
// Then a prune that removed the entry read the list before the touch (its record read, before the
// record write, came after its list read); so its swap either landed before the touch, which puts
// the entry back, or failed against the touch's new version. A prune that reads the list after the
// touch reads the record after it too, and finds it. A touch that never comes (a crash or a store
// error after the record write) lets such a prune land; the periodic pass puts the entry back
// (subscriptionHealing.ts).

import { Entry, Records } from '../state/port';
import { updateRecord } from '../state/update';
import { AlertTopic } from './categories';
import { indexKey, teamKey } from './subscriptionRecords';
import type { IndexRecord, TeamRecord } from './subscriptionRecords';
import type { ChannelRef } from './subscriptions';

/** Takes `absent` (channels whose record was read absent after `read`) out of the topic's index,
 * only if the index is still at the version read. Best effort: a lost swap or a failed write
 * leaves them for the next read. */
export async function pruneIndex(
  records: Records,
  topic: AlertTopic,
  read: Entry<IndexRecord> | null,
  absent: ReadonlySet<string>,
): Promise<void> {
  if (!read || absent.size === 0) return;
  const channels = read.value.channels.filter((c) => !absent.has(c.channelId));
  if (channels.length === read.value.channels.length) return;
  await swap(() => records.replace<IndexRecord>(indexKey(topic), { channels }, read.version, 'none'));
}

/** Takes `absent` (channels whose record was read absent after `read`) out of the team's
 * subscribed list, only if the team record is still at the version read; best effort. */
export async function pruneTeamSubscribed(
  records: Records,
  teamId: string,
  read: Entry<TeamRecord> | null,
  absent: ReadonlySet<string>,
): Promise<void> {
  if (!read || absent.size === 0) return;
  const subscribed = read.value.subscribed.filter((id) => !absent.has(id));
  if (subscribed.length === read.value.subscribed.length) return;
  await swap(() => records.replace<TeamRecord>(teamKey(teamId), { ...read.value, subscribed }, read.version, 'none'));
}

/** After a subscribe wrote its channel record: writes the topic's index again (always a new
 * version), with `ref` in it. */
export function touchIndex(records: Records, topic: AlertTopic, ref: ChannelRef): Promise<unknown> {
  return updateRecord<IndexRecord>(
    records,
    indexKey(topic),
    (cur) => {
      const others = (cur?.channels ?? []).filter((c) => c.channelId !== ref.channelId);
      const kept = cur?.channels.find((c) => c.channelId === ref.channelId && c.teamId === ref.teamId);
      // Its place kept when it is there (fan-out order), last when it was pruned meanwhile.
      return { next: { channels: kept ? cur!.channels : [...others, ref] } };
    },
    'none',
  );
}

/** After a subscribe wrote its channel record: writes the team record again (always a new
 * version), with the channel among its subscribed ones. */
export function touchTeamSubscribed(records: Records, ref: ChannelRef): Promise<unknown> {
  return updateRecord<TeamRecord>(
    records,
    teamKey(ref.teamId),
    (cur) => ({
      next: {
        teamId: ref.teamId,
        channels: cur?.channels ?? [],
        subscribed: cur?.subscribed.includes(ref.channelId)
          ? cur.subscribed
          : [...(cur?.subscribed ?? []), ref.channelId],
      },
    }),
    'none',
  );
}

async function swap(write: () => Promise<string | null>): Promise<void> {
  try {
    await write();
  } catch {
    // Pruning is housekeeping: the read or fan-out that found the entries goes on, the next one
    // prunes them.
  }
}
