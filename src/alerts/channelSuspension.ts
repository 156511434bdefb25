// A channel Teams refuses to post in. The Bot Connector answers 403 when the bot is not in the
// conversation's roster (removed from the team) or is blocked, and 404 when the conversation is not
// found (the channel deleted): https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
// and https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
// (the bot must be installed where it posts). Neither heals by retrying at once, so the channel's
// subscription is suspended: kept (a blocked app or a missed "bot removed" event is no reason to
// lose a team's choices) but skipped by fan-outs, shown with its reason by the channel's `alerts`
// card, and resumed when the bot is added back to the team (Teams lists the channel again) or
// someone saves the channel's settings there. A refusal answered after such a sign of the bot in
// the channel (the post left before it) is older news and suspends nothing: see `confirmations`.
// A 403 also comes while a Teams admin blocks the app for a while, or from a passing fault, and
// when that ends Teams tells the bot nothing: so a suspension lapses for one try a day (`lastTry`).
// The first fan-out a day after the suspension began (or after the last try) includes the channel
// again; that one alert is posted there, and if Teams accepts it the suspension ends. Of the
// instances planning at once one opens the try, by a compare-and-swap on the channel's record.

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
  /** The last try (none yet: the first is RETRY_EVERY_MS after `since`): when a fan-out included
   * the channel again, and the event whose alert is the try. */
  readonly lastTry?: { readonly at: number; readonly eventId: string };
}

/** A suspended channel is tried again this long after its suspension began or its last try. */
export const RETRY_EVERY_MS = 24 * 3_600_000;

/** When a fan-out may next include the suspended channel as its try. */
export const nextTryAt = (s: ChannelSuspension): number => (s.lastTry?.at ?? s.since) + RETRY_EVERY_MS;

/** Is the alert of `eventId` the try of this suspension (posted although the channel is suspended)? */
export const isTryOf = (s: ChannelSuspension, eventId: string): boolean => s.lastTry?.eventId === eventId;

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
  const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return (
    `Alerts to this channel are suspended since ${minute(s.since)} UTC. ${s.reason} ` +
    `Governance Bot tries once a day (next try ${minute(nextTryAt(s))} UTC): the first alert for ` +
    'this channel after that is posted here, and if Teams accepts it, alerts resume. ' +
    'The choices below are kept: they apply again then, when Governance Bot is added back to the ' +
    'team, or when someone saves them here.'
  );
}

/** A suspension begun or ended, for the log. */
export type SuspensionLine =
  | ({ readonly event: 'alerts.subscription.suspended'; readonly status: number; readonly reason: string } & ChannelRef)
  | ({
      readonly event: 'alerts.subscription.resumed';
      readonly via: 'teamChannels' | 'settings' | 'retry';
    } & ChannelRef);

/** The part of a channel's subscription record (subscriptions.ts) a suspension touches. */
interface Suspendable {
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
  await updateRecord<Suspendable>(records, key, (cur) => {
    teamId = cur && !cur.suspended && confirmationsOf(cur) === seen ? cur.teamId : null;
    return cur && teamId ? { next: { ...cur, suspended: suspension, updatedAt: now } } : 'keep';
  });
  return teamId;
}

/** Teams listed the channel of the record at `key`: one more confirmation, and a suspension ends.
 * Its team when this call ended a suspension, else null. */
export async function confirmRecord(records: Records, key: string, now: number): Promise<string | null> {
  let teamId: string | null = null;
  await updateRecord<Suspendable>(records, key, (cur) => {
    if (!cur) return 'keep';
    teamId = cur.suspended ? cur.teamId : null;
    const { suspended: _ended, ...rest } = cur;
    return { next: { ...rest, confirmations: confirmationsOf(cur) + 1, updatedAt: teamId ? now : cur.updatedAt } };
  });
  return teamId;
}

/** Whether the fan-out of `eventId` at `now` includes the suspended channel of the record at `key`
 * as its try: yes when a try is due and this call moved `lastTry` forward (a compare-and-swap: of
 * the instances planning at once, the one whose write lands opens it; the others read the moved
 * try and leave the channel out), or when this event is the try already (its plan made again).
 * A try that is not due, a channel not suspended (any more), or no `eventId` (a mere read of who
 * hears a topic, not a plan) is no. */
export async function openTry(
  records: Records,
  key: string,
  eventId: string | undefined,
  now: number,
): Promise<boolean> {
  let opened = false;
  if (eventId === undefined) return false; // not a fan-out's plan: nobody to try it with
  await updateRecord<Suspendable>(records, key, (cur) => {
    const s = cur?.suspended;
    opened = s !== undefined && (isTryOf(s, eventId) || nextTryAt(s) <= now);
    if (!cur || !s || !opened || isTryOf(s, eventId)) return 'keep';
    return { next: { ...cur, suspended: { ...s, lastTry: { at: now, eventId } } } };
  });
  return opened;
}

/** Teams accepted the try of `eventId` in the channel of the record at `key`: the suspension ends,
 * and the post counts as a sign of the bot there (a confirmation). Its team when this call ended
 * the suspension, else null (resumed already, or suspended anew and this is not that one's try). */
export async function endTry(records: Records, key: string, eventId: string, now: number): Promise<string | null> {
  let teamId: string | null = null;
  await updateRecord<Suspendable>(records, key, (cur) => {
    teamId = cur?.suspended && isTryOf(cur.suspended, eventId) ? cur.teamId : null;
    if (!cur || !teamId) return 'keep';
    const { suspended: _ended, ...rest } = cur;
    return { next: { ...rest, confirmations: confirmationsOf(cur) + 1, updatedAt: now } };
  });
  return teamId;
}
