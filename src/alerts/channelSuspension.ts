// A channel Teams refuses to post in. The Bot Connector answers 403 when the bot is not in the
// conversation's roster (removed from the team) or is blocked, and 404 when the conversation is not
// found (the channel deleted); a 403 of the bot's own deployment (InvalidBotApiHost,
// NotEnoughPermissions) is no refusal of the channel and suspends nothing (connectorRefusal.ts): https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// and https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
// (the bot must be installed where it posts). Neither heals by retrying (the status-codes page says
// not to retry them, and to stop posting until a user in the conversation interacts with the bot or
// it is installed again; the bot never posts there to find out), so the channel's
// subscription is suspended: kept (a blocked app or a missed "bot removed" event is no reason to
// lose a team's choices) but skipped by every fan-out, shown with its reason by the channel's
// `alerts` card, and resumed when the bot is added back to the team (Teams lists the channel again)
// or someone saves the channel's settings there. A refusal answered after such a sign of the bot in
// the channel (the post left before it) is older news and suspends nothing: see `confirmations`.

import { answerOf, ConnectorRefusal, readRefusal } from '../notifications/connectorRefusal';
import { FOREIGN_TENANT_SUSPENSION } from '../notifications/foreignTenant';
import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import { newsSince, noteNews, readNews } from './newestNews';
import { Revised, revisionAfter } from './settingsRevision';
import type { ChannelRef } from './subscriptions';

export interface ChannelSuspension {
  /** Teams' answer: 403 or 404; none when the bot itself refused to post (another tenant's channel). */
  readonly status?: number;
  /** Why, in words for the team. */
  readonly reason: string;
  /** Since when (epoch ms). */
  readonly since: number;
  /** Teams said the whole team was archived or deleted: the team's return ends it (resumeTeamRecord),
   * whether or not its channel list can be read then. */
  readonly teamEvent?: 'archived' | 'deleted';
  /** Teams said this channel was deleted: its restore ends it (channelDeletion.ts). */
  readonly channelDeleted?: true;
}

/** A connector error when it is a refusal of the channel itself (connectorRefusal.ts): a 403 or 404
 * naming a code of a refusal by the conversation, or no code the table knows. A fault of the bot's
 * own deployment (InvalidBotApiHost, NotEnoughPermissions, BotNotRegistered) or a message gone
 * (ActivityNotFoundInConversation) says nothing of the channel: null, nothing is suspended. */
export function channelRefusal(error: unknown): ChannelRefusal | null {
  const refusal = readRefusal(error);
  return refusal.kind === 'conversationRefused' ? refusal : null;
}

export type ChannelRefusal = Extract<ConnectorRefusal, { kind: 'conversationRefused' }>;

export function suspensionOf(refusal: Pick<ChannelRefusal, 'status' | 'code'>, since: number): ChannelSuspension {
  const answer = answerOf(refusal);
  const reason =
    refusal.status === 403
      ? `Teams refused to post here (${answer}): Governance Bot is no longer in this team, or the app was blocked.`
      : `Teams does not know this channel (${answer}): it was deleted, or Governance Bot was removed from the team.`;
  return { status: refusal.status, reason, since };
}

/** The channel's team belongs to another organization than the one the bot serves
 * (notifications/foreignTenant.ts): nothing was asked of Teams, so there is no status. */
export function foreignTenantSuspension(since: number): ChannelSuspension {
  return { reason: FOREIGN_TENANT_SUSPENSION, since };
}

/** Teams told the bot the whole team was archived (its channels are read-only) or deleted (it can
 * still be restored; teamHardDeleted is the end): nothing was asked of Teams, so there is no status.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events */
export function teamEventSuspension(event: 'archived' | 'deleted', since: number): ChannelSuspension {
  const reason =
    event === 'archived'
      ? 'The team was archived, so its channels are read-only; alerts resume when it is unarchived.'
      : 'The team was deleted; alerts resume if it is restored.';
  return { reason, since, teamEvent: event };
}

/** What the settings card says about a suspended channel. */
export function suspensionNote(s: ChannelSuspension): string {
  const since = new Date(s.since).toISOString().slice(0, 16).replace('T', ' ');
  // The team's or the channel's return is named in the reason; a refusal ends when Teams lists the
  // channel again: the bot back in the team, or (a 404: the channel may have been deleted) the
  // channel restored.
  const when =
    s.teamEvent || s.channelDeleted
      ? 'then'
      : s.status === 404
        ? 'when the channel is restored or Governance Bot is added back to the team'
        : 'when Governance Bot is added back to the team';
  // An archived team's channels are read-only (nobody can send a message there,
  // https://learn.microsoft.com/en-us/graph/api/team-archive) and a deleted team or channel cannot
  // be opened: no one can save there, so the note does not offer it.
  const orSaved = s.teamEvent || s.channelDeleted ? '' : ', or when someone saves them here';
  return (
    `Alerts to this channel are suspended since ${since} UTC. ${s.reason} ` +
    `The choices below are kept: they apply again ${when}${orSaved}.`
  );
}

/** A suspension begun or ended, for the log. */
export type SuspensionLine =
  | ({
      readonly event: 'alerts.subscription.suspended';
      readonly status?: number;
      readonly reason: string;
    } & ChannelRef)
  | ({
      readonly event: 'alerts.subscription.resumed';
      readonly via: 'teamChannels' | 'teamBack' | 'settings';
    } & ChannelRef);

/** The part of a channel's subscription record (subscriptions.ts) a suspension touches. */
interface Suspendable extends Revised {
  readonly teamId: string;
  readonly suspended?: ChannelSuspension;
  /** How many times the bot was shown to be in the channel: Teams listed it, or someone changed its
   * settings there (a turn from the channel). A refusal counts only against the count its post saw
   * when it was looked up: one answered after a newer sign of the bot there describes the channel
   * as it was before, and suspends nothing. */
  readonly confirmations?: number;
  readonly updatedAt: number;
}

/** The confirmations of a channel's record (0 for none, or no record). */
const confirmationsOf = (record: { readonly confirmations?: number } | null | undefined): number =>
  record?.confirmations ?? 0;

/** What a post in a channel needs to know first: its suspension (no post then), and the
 * confirmations its refusal, if any, is judged against. */
export interface ChannelStanding {
  readonly suspended: ChannelSuspension | null;
  readonly confirmations: number;
}

export const standingOf = (record: Omit<Suspendable, 'teamId' | 'updatedAt'> | undefined): ChannelStanding => ({
  suspended: record?.suspended ?? null,
  confirmations: confirmationsOf(record),
});

/** Suspends the channel record at `key`, for a refusal of a post made when the record had `seen`
 * confirmations: its team when this call did, null when there is no record (no subscription), it
 * was suspended already (the first reason is kept), or the bot was confirmed there since. */
export async function suspendRecord(
  records: Records,
  key: string,
  suspension: ChannelSuspension,
  seen: number,
  now: number,
): Promise<string | null> {
  let teamId: string | null = null;
  await updateRecord<Suspendable>(
    records,
    key,
    (cur) => {
      teamId = cur && !cur.suspended && confirmationsOf(cur) === seen ? cur.teamId : null;
      if (!cur || !teamId) return 'keep';
      return { next: { ...cur, suspended: suspension, updatedAt: now, revision: revisionAfter(cur, now) } };
    },
    'none',
  );
  return teamId;
}

/** Teams listed the channel of the record at `key`: one more confirmation, and a suspension ends,
 * unless `kept` says it stays (a team archived or deleted: teamOutUntilBack). Its team when this call
 * ended a suspension, else null. */
export async function confirmRecord(
  records: Records,
  key: string,
  now: number,
  kept: (suspension: ChannelSuspension) => boolean = () => false,
): Promise<string | null> {
  let teamId: string | null = null;
  await updateRecord<Suspendable>(
    records,
    key,
    (cur) => {
      if (!cur) return 'keep';
      const stays = cur.suspended !== undefined && kept(cur.suspended);
      teamId = cur.suspended && !stays ? cur.teamId : null;
      const { suspended, ...rest } = cur;
      const updatedAt = teamId ? now : cur.updatedAt;
      return {
        next: {
          ...rest,
          ...(stays ? { suspended } : {}),
          confirmations: confirmationsOf(cur) + 1,
          updatedAt,
          revision: revisionAfter(cur, now),
        },
      };
    },
    'none',
  );
  return teamId;
}

/** Which suspensions a listing of the team's channels leaves in place: those of the team archived or
 * deleted that Teams has not said since is back (teamUnarchived, teamRestored). Teams still lists an
 * archived team's channels (a lookup of a channel the bot has not seen lists every known team), and
 * a listing is no news of the team's return: ended by it, the next alert would go into a read-only
 * channel. */
export async function teamOutUntilBack(
  records: Records,
  teamId: string,
): Promise<(suspension: ChannelSuspension) => boolean> {
  const back = (await readNews<'at'>(records, teamBackKey(teamId)))?.at;
  return (s) => s.teamEvent !== undefined && !(back !== undefined && back >= s.since);
}

/** Teams said the team of the record at `key` is back (teamUnarchived, teamRestored), in an event
 * it sent at `at` (epoch ms): a suspension that came from the team's archiving or deletion sent
 * before then ends, and the bot is counted there (it was told of its team). Its team when this call
 * ended a suspension, else null. */
export async function resumeTeamRecord(records: Records, key: string, at: number, now: number): Promise<string | null> {
  let teamId: string | null = null;
  await updateRecord<Suspendable>(
    records,
    key,
    (cur) => {
      if (!cur?.suspended?.teamEvent || cur.suspended.since > at) return 'keep';
      teamId = cur.teamId;
      const { suspended: _ended, ...rest } = cur;
      return {
        next: { ...rest, confirmations: confirmationsOf(cur) + 1, updatedAt: now, revision: revisionAfter(cur, now) },
      };
    },
    'none',
  );
  return teamId;
}

/** How long the time of a team's last return is kept: far longer than Teams takes to deliver (or
 * redeliver) the events sent around it, which is all it is for. */
const TEAM_BACK_TTL_MS = 7 * 24 * 3_600_000;
const teamBackKey = (teamId: string) => `alerts:teamBack:${teamId}`;

/** Notes that Teams sent "the team is back" at `at`, keeping the latest such time (newestNews.ts). */
export async function noteTeamBack(records: Records, teamId: string, at: number): Promise<void> {
  await noteNews<'at'>(records, teamBackKey(teamId), 'at', at, { ttlMs: TEAM_BACK_TTL_MS });
}

/** Whether Teams sent "the team is back" after `at`: an archiving or deletion sent at `at` and
 * handled only now (events from Teams may be handled out of order, by two instances or after a
 * redelivery) is older news and suspends nothing. */
export async function teamBackSince(records: Records, teamId: string, at: number): Promise<boolean> {
  return newsSince(await readNews<'at'>(records, teamBackKey(teamId)), ['at'], at);
}
