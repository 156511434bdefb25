// A whole team out of use and back (Teams' teamArchived / teamDeleted, teamUnarchived /
// teamRestored): every subscribed channel of the team is suspended, choices kept, and resumed when
// the team is back, without waiting for a channel list Teams may not answer then. Events are
// ordered by the time Teams sent them, so one handled late (two instances, a redelivery) never
// undoes a later one.

import { Records } from '../state/port';
import {
  ChannelSuspension,
  SuspensionLine,
  noteTeamBack,
  resumeTeamRecord,
  teamBackSince,
  teamEventSuspension,
} from './channelSuspension';
import { channelKey, teamKey } from './subscriptionRecords';
import type { TeamRecord } from './subscriptionRecords';

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
  }
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
