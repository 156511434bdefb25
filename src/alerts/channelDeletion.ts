// A channel deleted in a team. Teams can restore a deleted channel, with the same id, and tells the
// bot so (channelRestored): https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
// So, like a deleted team, a deleted channel's subscription is suspended, its choices kept, rather
// than ended: the channel leaves the team's channel list (no fan-out reaches it, it names no team),
// and when Teams lists it again (channelRestored reads the list) it resumes with the same choices.
// Teams sends no event when the time to restore the channel ends, so the suspended record expires
// a little after it (DELETED_CHANNEL_TTL_MS): a channel deleted for good is forgotten.
// A channel with no subscription is simply forgotten at once.

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import type { ChannelSuspension } from './channelSuspension';
import { newsSince, noteNews } from './newestNews';
import { revisionAfter } from './settingsRevision';
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

/** How long Teams keeps a deleted channel restorable: "the deleted channel can be restored within 30
 * days" (Microsoft Learn, Troubleshoot teams and channels; Microsoft's help for team owners, "Delete
 * or restore a channel in Microsoft Teams", names the same Manage team > Channels > Deleted >
 * Restore; older versions of it said 21 days). */
export const CHANNEL_RESTORE_WINDOW_MS = 30 * 24 * 3_600_000;
/** A deleted channel's suspended record lives this long past its last write: the restore window and
 * a few days more, for a restore at its very end whose event comes late (a redelivery). */
export const DELETED_CHANNEL_TTL_MS = CHANNEL_RESTORE_WINDOW_MS + 5 * 24 * 3_600_000;

/** The deletion's suspension, or the one the record has when it is a deletion sent no earlier. */
function deletedSince(current: ChannelSuspension, at: number): ChannelSuspension {
  return current.channelDeleted && current.since >= at ? current : channelDeletedSuspension(at);
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
    // Suspended already (the whole team archived or deleted, or a post there refused): the
    // deletion takes its place, so only the channel's own restore (listed again) resumes it, not
    // the team's return (resumeTeamRecord would post in a channel that is gone). And since Teams
    // sends no event when the time to restore the channel ends, the record lives a little past it:
    // a channel deleted for good is forgotten then (a restore, a listing or a save writes the record
    // again without expiry).
    await updateRecord<ChannelRecord>(
      records,
      channelKey(channelId),
      (cur) =>
        cur?.suspended
          ? { next: { ...cur, suspended: deletedSince(cur.suspended, at), revision: revisionAfter(cur, at) } }
          : // Confirmed in the channel since (restored meanwhile): nothing to expire.
            'keep',
      { ttlMs: DELETED_CHANNEL_TTL_MS },
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
