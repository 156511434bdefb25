// A whole team out of use and back (Teams' teamArchived / teamDeleted, teamUnarchived /
// teamRestored): every subscribed channel of the team is suspended, choices kept, and resumed when
// the team is back, without waiting for a channel list Teams may not answer then. Events are
// ordered by the time Teams sent them, so one handled late (two instances, a redelivery) never
// undoes a later one.

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import {
  ChannelSuspension,
  SuspensionLine,
  noteTeamBack,
  resumeTeamRecord,
  teamBackSince,
  teamEventSuspension,
} from './channelSuspension';
import { revisionAfter } from './settingsRevision';
import { channelKey, teamKey } from './subscriptionRecords';
import type { ChannelRecord, TeamRecord } from './subscriptionRecords';

export interface TeamSuspensionDeps {
  readonly records: Records;
  readonly now: () => number;
  readonly onSuspension: (line: SuspensionLine) => void;
  /** Suspends one channel as after a refusal, given the confirmations it had (subscriptions.ts). */
  readonly suspend: (channelId: string, suspension: ChannelSuspension, seen: number) => Promise<void>;
  /** The confirmations a channel has had (subscriptions.ts standing). */
  readonly confirmations: (channelId: string) => Promise<number>;
}

/** Suspends the team's subscribed channels; nothing when Teams sent the team's return after `at`. */
export async function suspendTeamChannels(
  deps: TeamSuspensionDeps,
  teamId: string,
  event: 'archived' | 'deleted',
  at: number,
): Promise<void> {
  if (await teamBackSince(deps.records, teamId, at)) return;
  const suspension = teamEventSuspension(event, at);
  for (const channelId of await subscribedChannels(deps.records, teamId)) {
    // The count as it stands: this is no refusal of an earlier post, so no sign since outranks it.
    await deps.suspend(channelId, suspension, await deps.confirmations(channelId));
    const teamOfChannel = await teamEventInstead(deps.records, channelKey(channelId), suspension, deps.now());
    if (teamOfChannel)
      deps.onSuspension({
        event: 'alerts.subscription.suspended',
        teamId: teamOfChannel,
        channelId,
        reason: suspension.reason,
      });
  }
}

/** A channel suspended already by a refusal (403, 404, another tenant's) takes the team's event as
 * its reason: kept as the refusal, a listing of the team's channels (no news of the team's return,
 * teamOutUntilBack) would resume it while the team is still archived or deleted. Not a channel's own
 * deletion (only its restore resumes it: the team's return must not post where the channel is gone),
 * nor a team event Teams sent no earlier (one sent before takes the later one's time, so a return
 * sent between the two and handled late resumes nothing). Its team when the reason was replaced, else null. */
async function teamEventInstead(
  records: Records,
  key: string,
  suspension: ChannelSuspension,
  now: number,
): Promise<string | null> {
  let teamId: string | null = null;
  await updateRecord<ChannelRecord>(
    records,
    key,
    (cur) => {
      const held = cur?.suspended;
      if (!cur || !held || held.channelDeleted || (held.teamEvent && held.since >= suspension.since)) return 'keep';
      teamId = cur.teamId;
      return { next: { ...cur, suspended: suspension, updatedAt: now, revision: revisionAfter(cur, now) } };
    },
    'none',
  );
  return teamId;
}

/** Resumes the channels a team event suspended before `at`; an archiving or deletion sent later stays. */
export async function resumeTeamChannels(deps: TeamSuspensionDeps, teamId: string, at: number): Promise<void> {
  await noteTeamBack(deps.records, teamId, at);
  for (const channelId of await subscribedChannels(deps.records, teamId)) {
    const resumed = await resumeTeamRecord(deps.records, channelKey(channelId), at, deps.now());
    if (resumed) deps.onSuspension({ event: 'alerts.subscription.resumed', teamId, channelId, via: 'teamBack' });
  }
}

async function subscribedChannels(records: Records, teamId: string): Promise<readonly string[]> {
  return (await records.get<TeamRecord>(teamKey(teamId)))?.value.subscribed ?? [];
}
