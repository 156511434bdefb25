// A channel Teams refuses to post in. The Bot Connector answers 403 when the bot is not in the
// conversation's roster (removed from the team) or is blocked, and 404 when the conversation is not
// found (the channel deleted): https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// and https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
// (the bot must be installed where it posts). Neither heals by retrying, so the channel's
// subscription is suspended: kept (a blocked app or a missed "bot removed" event is no reason to
// lose a team's choices) but skipped by every fan-out, shown with its reason by the channel's
// `alerts` card, and resumed when the bot is added back to the team (Teams lists the channel again)
// or someone saves the channel's settings there.

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import type { ChannelRef } from './subscriptions';

export interface ChannelSuspension {
  /** Teams' answer: 403 or 404. */
  readonly status: number;
  /** Why, in words for the team. */
  readonly reason: string;
  /** Since when (epoch ms). */
  readonly since: number;
}

/** The status of a connector error when it is a refusal of the channel itself (403, 404). */
export function refusedStatus(error: unknown): 403 | 404 | null {
  const e = error as { statusCode?: unknown; status?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : e?.status;
  return status === 403 || status === 404 ? status : null;
}

export function suspensionOf(status: 403 | 404, since: number): ChannelSuspension {
  const reason =
    status === 403
      ? 'Teams refused to post here (403): Governance Bot is no longer in this team, or the app was blocked.'
      : 'Teams does not know this channel (404): it was deleted, or Governance Bot was removed from the team.';
  return { status, reason, since };
}

/** What the settings card says about a suspended channel. */
export function suspensionNote(s: ChannelSuspension): string {
  const since = new Date(s.since).toISOString().slice(0, 16).replace('T', ' ');
  return (
    `Alerts to this channel are suspended since ${since} UTC. ${s.reason} ` +
    'The choices below are kept: they apply again when Governance Bot is added back to the team, ' +
    'or when someone saves them here.'
  );
}

/** A suspension begun or ended, for the log. */
export type SuspensionLine =
  | ({ readonly event: 'alerts.subscription.suspended'; readonly status: number; readonly reason: string } & ChannelRef)
  | ({ readonly event: 'alerts.subscription.resumed'; readonly via: 'teamChannels' | 'settings' } & ChannelRef);

/** The part of a channel's subscription record (subscriptions.ts) a suspension touches. */
interface Suspendable {
  readonly teamId: string;
  readonly suspended?: ChannelSuspension;
  readonly updatedAt: number;
}

/** Suspends the channel record at `key`: its team when this call did, null when there is no
 * record (no subscription) or it was suspended already (the first reason is kept). */
export async function suspendRecord(
  records: Records,
  key: string,
  suspension: ChannelSuspension,
  now: number,
): Promise<string | null> {
  let teamId: string | null = null;
  await updateRecord<Suspendable>(records, key, (cur) => {
    teamId = cur && !cur.suspended ? cur.teamId : null;
    return cur && teamId ? { next: { ...cur, suspended: suspension, updatedAt: now } } : 'keep';
  });
  return teamId;
}

/** Ends the suspension of the channel record at `key`: its team when this call did, else null. */
export async function resumeRecord(records: Records, key: string, now: number): Promise<string | null> {
  let teamId: string | null = null;
  await updateRecord<Suspendable>(records, key, (cur) => {
    teamId = cur?.suspended ? cur.teamId : null;
    if (!cur || !teamId) return 'keep';
    const { suspended: _ended, ...rest } = cur;
    return { next: { ...rest, updatedAt: now } };
  });
  return teamId;
}
