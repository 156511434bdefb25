// Entries of channels whose record is gone (a deleted channel's record expires 35 days after the
// deletion, channelDeletion.ts) are taken out of the category indexes and the team's `subscribed`
// list, so every read and fan-out stops reading them first and the lists stop growing.
//
// A subscribe writes the index (and the team list) before the channel record (subscriptions.ts,
// "superset order"), so an entry whose record is absent may be a subscribe in progress. Two rules
// keep that subscriber:
// 1. A prune reads the list first, then each candidate's record, and writes the list only at the
//    version it read (compare-and-swap; one try, the next read tries again).
// 2. A subscribe, once its record is written, writes the list again (an addition with `always`,
//    subscriptionRecords.ts: a write even when the entry is there, which puts it back if missing).
// Then a prune that removed the entry read the list before the touch (its record read, before the
// record write, came after its list read); so its swap either landed before the touch, which puts
// the entry back, or failed against the touch's new version. A prune that reads the list after the
// touch reads the record after it too, and finds it. A touch that never comes (a crash or a store
// error after the record write) lets such a prune land; the periodic pass puts the entry back
// (subscriptionHealing.ts).

import { Entry, Records } from '../state/port';
import { AlertTopic } from './categories';
import { indexKey, teamKey } from './subscriptionRecords';
import type { IndexRecord, TeamRecord } from './subscriptionRecords';

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

async function swap(write: () => Promise<string | null>): Promise<void> {
  try {
    await write();
  } catch {
    // Pruning is housekeeping: the read or fan-out that found the entries goes on, the next one
    // prunes them.
  }
}
