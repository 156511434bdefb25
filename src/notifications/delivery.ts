// What delivering one notification means, apart from the queue that drives it (worker.ts): who
// the card goes to (the stored conversation reference of the user or the channel), what it looks
// like on the wire, and how to read the connector's answer: delivered with an activity id, try
// again later (with Retry-After), or undeliverable with a reason.

import { parseRetryAfter } from '../domain/retryAfter';
import {
  answerOf,
  deploymentFaultReason,
  readRefusal,
  refusedConversationWhy,
  refusedDeployment,
  statusOf,
} from './connectorRefusal';
import { notSentAgain } from './notSentAgain';
import { ConversationReferences, ReadReference, StoredReference } from '../state/references';
import { NotificationEvent } from './events';

/** What the intake needs of delivery: a wake-up after an event was accepted. */
export interface Deliverer {
  kick(eventId?: string): void;
}

/** A card ready to send, with the one-line summary shown in notifications. */
export interface OutboundCard {
  readonly attachment: { readonly contentType: string; readonly content?: unknown };
  readonly summary: string;
}

/** Sends a new message (never a reply) to the reference's conversation; resolves with the id of
 * the message Teams created. Rejects with the connector's error (its `statusCode` and response
 * headers) and stops when `signal` aborts. */
export type SendCard = (
  reference: StoredReference,
  card: OutboundCard,
  signal: AbortSignal,
) => Promise<string | undefined>;

/** Where a card goes: the reference it is sent with, the conversation it lands in, and the stored
 * reference it came from as read (null for a channel reached through its team's), which is what a
 * refusal by Teams forgets, and nothing stored since. */
export interface Reached {
  readonly reference: StoredReference;
  readonly conversationId: string;
  readonly stored: ReadReference | null;
}

export type Recipient = Reached | { readonly undeliverable: string };

/** Where the event's card goes: a user's personal chat or a new thread in a channel. */
export async function recipientOf(
  event: NotificationEvent,
  references: ConversationReferences,
  channelReference?: (channelId: string) => Promise<StoredReference | null>,
): Promise<Recipient> {
  if ('userId' in event.target) {
    const stored = await references.readUser(event.target.userId);
    const reference = stored?.reference;
    if (!stored || !reference?.conversation) {
      return {
        undeliverable:
          'The recipient has not installed Governance Bot in Teams, so the bot cannot start a chat with them. ' +
          notSentAgain('they install it'),
      };
    }
    return { reference, conversationId: reference.conversation.id, stored };
  }
  if (!('channelId' in event.target)) return { undeliverable: 'The event names no user and no channel.' };
  const channelId = event.target.channelId;
  // A channel someone spoke in, or any channel of a team the bot is in.
  const stored = await references.readChannel(channelId);
  const known = stored?.reference ?? (await channelReference?.(channelId)) ?? null;
  if (!known) {
    const undeliverable = 'Governance Bot is not installed in the team of this channel. ';
    return { undeliverable: undeliverable + notSentAgain('it is added to that team') };
  }
  // A new thread in the channel: the channel's own conversation id, never a thread's.
  const reference = { ...known, conversation: { ...known.conversation, id: channelId } };
  return { reference, conversationId: channelId, stored };
}

/** Teams answers worth waiting out: its table of the bot APIs' answers marks these "Retry: Yes"
 * and asks bots not to retry any other (500 ServiceError is "No": a post it failed may have been
 * made; 408 is not in the table), as does https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 * for 429, 412, 502 and 504: */
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

export type SendFailure =
  | { readonly kind: 'retry'; readonly afterMs: number | null; readonly status: number | null }
  | {
      readonly kind: 'undeliverable';
      readonly reason: string;
      /** The conversation refused the bot (connectorRefusal.ts): its reference goes, its
       * channel's subscription is suspended. */
      readonly forgetRecipient: boolean;
      /** The bot's own deployment is at fault: logged for an administrator, nothing forgotten. */
      readonly deploymentFault?: { readonly status: number; readonly code: string | null };
    };

/**
 * The longest Retry-After a send waits out. Teams' longest throttling window is an hour (1,800
 * messages per hour per thread, https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit);
 * a longer or absurd value ("99999999999999999999") would leave the event queued for ever, never
 * settled. A send still refused after this wait spends another attempt, so it ends within the
 * attempt budget.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** Reads a failed send. No status at all (a network error, the deadline) is worth retrying.
 * `oneRecipient`: false for a channel alert (a category event's channel, an alert of the bot's own),
 * whose reason says nothing of posting the event again (refusedConversationWhy). */
export function classifySendError(error: unknown, now: number = Date.now(), oneRecipient = true): SendFailure {
  const entra = refusedDeployment(error);
  if (entra) {
    return {
      kind: 'undeliverable',
      reason: `${entra.reason}. The recipient and the channel are kept: sends work again once this is fixed.`,
      forgetRecipient: false,
      deploymentFault: { status: entra.status, code: entra.code },
    };
  }
  const status = statusOf(error);
  if (status === null || RETRYABLE.has(status)) {
    // A date counts from the answer's own Date (both Teams' clock), as Graph's do: a local clock
    // ahead of Teams' would otherwise shorten the wait and send again into the throttle.
    const asked = parseRetryAfter(headerOf(error, 'retry-after'), now, headerOf(error, 'date'));
    return { kind: 'retry', afterMs: asked === null ? null : Math.min(asked, MAX_RETRY_AFTER_MS), status };
  }
  const refusal = readRefusal(error);
  if (refusal.kind === 'deploymentFault') {
    return {
      kind: 'undeliverable',
      reason: deploymentFaultReason(refusal),
      forgetRecipient: false,
      deploymentFault: { status: refusal.status, code: refusal.code },
    };
  }
  if (refusal.kind === 'conversationRefused') {
    return {
      kind: 'undeliverable',
      reason: `Teams refused the conversation (${answerOf(refusal)}): ${refusedConversationWhy(refusal.code, oneRecipient)}`,
      forgetRecipient: true,
    };
  }
  if (refusal.kind === 'messageGone') {
    // The message the send named is gone, not the conversation: nothing is forgotten.
    return {
      kind: 'undeliverable',
      reason: `Teams no longer has the message this card referred to (${status} ActivityNotFoundInConversation).`,
      forgetRecipient: false,
    };
  }
  if (status >= 500) {
    return {
      kind: 'undeliverable',
      reason: `Teams failed with an internal error (${status}): the card may or may not have been posted, and Teams asks bots not to send it again.`,
      forgetRecipient: false,
    };
  }
  return { kind: 'undeliverable', reason: `Teams did not accept the card (${status}).`, forgetRecipient: false };
}

/** How long a retry waits: at least Teams' Retry-After, and at least the sender's backoff. */
export const retryDelayMs = (failure: SendFailure, backoffMs: number): number =>
  failure.kind === 'retry' ? Math.max(failure.afterMs ?? 0, backoffMs) : 0;

/** The last attempt's instance stopped during its send (its claim expired): no answer was
 * recorded before its time ran out. */
export const HOLDER_GONE = 'no answer in time';

/** Why an event stays undeliverable after its last retryable failure; `last`: that failure's
 * status or what it met, in words (lastAnswerWords, or HOLDER_GONE). */
export function gaveUpReason(last: string, attempts: number): string {
  return `Teams did not accept the card after ${attempts} attempts (last: ${last}).`;
}

function headerOf(e: unknown, name: 'retry-after' | 'date'): string | undefined {
  const headers = (e as { response?: { headers?: unknown } } | null)?.response?.headers as
    { get?: (name: string) => string | null | undefined } | Record<string, unknown> | undefined;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}
