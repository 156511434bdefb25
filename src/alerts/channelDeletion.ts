// A channel deleted in a team. Teams can restore a deleted channel, with the same id, and tells the
// bot so (channelRestored): https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
// So, like a deleted team, a deleted channel's subscription is suspended, its choices kept, rather
// than ended: the channel leaves the team's channel list (no fan-out reaches it, it names no team),
// and when Teams lists it again (channelRestored reads the list) it resumes with the same choices.
// A channel with no subscription is simply forgotten.

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import type { ChannelSuspension } from './channelSuspension';
import { newsSince, noteNews } from './newestNews';
import { channelKey, channelTeamKey, dropTeamChannel, teamKey } from './subscriptionRecords';
import type { ChannelRecord, TeamRecord } from './subscriptionRecords';

export interface ChannelDeletionDeps {
  readonly records: Records;
  /** Suspends one channel as after a refusal, given the confirmations it had (subscriptions.ts). */
  readonly suspend: (channelId: string, suspension: ChannelSuspension, seen: number) => Promise<void>;
}

/** Why a deleted channel hears nothing, for its settings card and the log. */
export function channelDeletedSuspension(since: number): ChannelSuspension {
  return { reason: 'The channel was deleted; alerts resume if it is restored.', since, channelDeleted: true };
}

/** When Teams last said the channel was deleted and restored (newestNews.ts): only the newer counts. */
type ChannelNews = 'deletedAt' | 'restoredAt';
const channelNewsKey = (channelId: string) => `alerts:channelNews:${channelId}`;
/** Long enough for any redelivery or slow instance; the record then expires on its own. */
const CHANNEL_NEWS_TTL_MS = 7 * 24 * 3_600_000;

/** Notes one event's time, keeping the latest of each kind; true when it is the newest news of the
 * channel (a restore sent before a later deletion, or a deletion before a later restore, is not). */
async function noteChannelNews(records: Records, channelId: string, kind: ChannelNews, at: number): Promise<boolean> {
  const before = await noteNews<ChannelNews>(records, channelNewsKey(channelId), kind, at, {
    ttlMs: CHANNEL_NEWS_TTL_MS,
  });
  return !newsSince(before, [kind === 'deletedAt' ? 'restoredAt' : 'deletedAt'], at);
}

/** Notes that Teams sent "the channel was restored" at `at`; false when a deletion it sent later was
 * handled already, so the channel is gone again and this restore must resume nothing. */
export function noteChannelRestored(records: Records, channelId: string, at: number): Promise<boolean> {
  return noteChannelNews(records, channelId, 'restoredAt', at);
}

/** Teams said the channel was deleted, in an event it sent at `at` (epoch ms); false when it was
 * older news: a deletion sent before a restore Teams also sent, handled only now (by another
 * instance, or redelivered), suspends nothing, the channel being in use again. */
export async function channelDeleted(deps: ChannelDeletionDeps, channelId: string, at: number): Promise<boolean> {
  const { records } = deps;
  if (!(await noteChannelNews(records, channelId, 'deletedAt', at))) return false;
  const record = (await records.get<ChannelRecord>(channelKey(channelId)))?.value;
  const teamId = record?.teamId ?? (await records.get<{ teamId: string }>(channelTeamKey(channelId)))?.value.teamId;
  if (record) {
    // The count as it stands: this is no refusal of an earlier post, so no sign since outranks it.
    await deps.suspend(channelId, channelDeletedSuspension(at), record.confirmations ?? 0);
    // Suspended already because the whole team was archived or deleted: the team's return
    // (resumeTeamRecord) would end that, and post in a channel that is gone. The deletion takes its
    // place, so only the channel's own restore (listed again) resumes it.
    await updateRecord<ChannelRecord>(
      records,
      channelKey(channelId),
      (cur) => (cur?.suspended?.teamEvent ? { next: { ...cur, suspended: channelDeletedSuspension(at) } } : 'keep'),
      'none',
    );
    // Out of the team's channel list, kept among its subscribed channels: a listing that names it
    // again resumes it, and removing the bot from the team still ends it.
    await updateRecord<TeamRecord>(
      records,
      teamKey(record.teamId),
      (cur) => (cur ? { next: { ...cur, channels: cur.channels.filter((c) => c.id !== channelId) } } : 'keep'),
      'none',
    );
  } else if (teamId) {
    await dropTeamChannel(records, teamId, channelId);
  }
  await records.delete(channelTeamKey(channelId));
  return true;
}
