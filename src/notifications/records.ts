// What the bot keeps about each accepted notification event: the event itself, how its delivery
// ended, and the marks that keep one event to one send: its outbox row was stored, a send is
// under way (a claim with an expiry), a Retry-After is being waited out, a category event was
// published. GET /api/notifications/{eventId} answers from this record.

import { NotificationEvent } from './events';

export type DeliveryState = 'queued' | 'delivered' | 'undeliverable';

/** A send under way: only its holder (one handling of one outbox row) may send until `until`. */
export interface SendClaim {
  readonly holder: string;
  /** Epoch ms. Past it with no outcome written, the holder is taken for dead. */
  readonly until: number;
}

export interface EventRecord {
  readonly event: NotificationEvent;
  readonly state: DeliveryState;
  readonly acceptedAt: string;
  /** Sends tried so far (a wait for the pacer or a shutdown is not a send). */
  readonly attempts: number;
  /** When the outcome was written (epoch ms; records settled by an earlier release have none). */
  readonly settledAt?: number;
  /** Set when delivered: the message Teams created. */
  readonly activityId?: string;
  /** The conversation the card was sent to. */
  readonly conversationId?: string;
  /** Why the event is undeliverable, in words for the caller. */
  readonly reason?: string;
  /** `false` from the record's creation until its outbox row is stored, `true` from then on: the
   * same event posted again queues no second row. Until then the event is not accepted (its POST
   * has not answered 202, and may answer 503): GET answers as for an unknown id, no send is made,
   * and the record expires soon (ROW_PENDING_TTL_MS). Records written by earlier releases have no
   * such field: their row's state is unknown, and they count as accepted. */
  readonly enqueued?: boolean;
  /** The send under way, if any. */
  readonly sending?: SendClaim;
  /** Epoch ms before which no send is tried (the Retry-After or backoff of the last attempt). */
  readonly notBefore?: number;
  /** A category event handed to its channels' fan-out (ISO time): never published again. Its
   * `state` stays as it was; GET answers from the channels. */
  readonly publishedAt?: string;
}

/** How a delivery ended, as written to the record. */
export type DeliveryOutcome =
  | { readonly state: 'delivered'; readonly activityId: string; readonly conversationId: string }
  | { readonly state: 'undeliverable'; readonly reason: string; readonly conversationId?: string };

/** What a row finds when it would send: the record claimed for it, a wait, or nothing to do. */
export type ClaimResult =
  | { readonly kind: 'claimed'; readonly record: EventRecord }
  | { readonly kind: 'wait'; readonly untilMs: number }
  | { readonly kind: 'done' };

/** Nothing left to send: settled, published, or gone. */
export const isDone = (record: EventRecord | null): boolean =>
  record?.state !== 'queued' || record.publishedAt !== undefined;

/** Does the settled record hold this very post (delivered, with its message id)? */
export const samePost = (record: EventRecord, outcome: DeliveryOutcome): boolean =>
  outcome.state === 'delivered' &&
  record.state === 'delivered' &&
  record.activityId === outcome.activityId &&
  record.conversationId === outcome.conversationId;

/** Is the record one of an event not accepted (yet): its outbox row not stored? */
export const rowPending = (record: { readonly enqueued?: boolean }): boolean => record.enqueued === false;

/** The wait of a row whose record says its row is not yet stored: its POST is between its two
 * writes (it ends within seconds), or answered 503 and left it to expire. Growing with the record's
 * age, from 1 s to a minute, so such a row is not leased again and again until then. */
function pendingWait(record: EventRecord, now: number): number {
  const accepted = Date.parse(record.acceptedAt);
  const age = Number.isFinite(accepted) ? now - accepted : 0;
  return Math.min(60_000, Math.max(1_000, age));
}

/** Until when a row for this record must wait before sending (0: it may try now): the recorded
 * Retry-After, the live claim of a send under way, or the mark that the row is stored (a row of an
 * event not accepted yet must neither send nor settle it, nor be dropped: its POST may yet mark it). */
export function waitUntil(record: EventRecord, now: number): number {
  if (rowPending(record)) return now + pendingWait(record, now);
  const live = record.sending && record.sending.until > now ? record.sending.until : 0;
  const held = record.notBefore !== undefined && record.notBefore > now ? record.notBefore : 0;
  return Math.max(live, held);
}

/** Decides a claim on `current` for `holder` (pure; the store writes `next` by compare-and-swap). */
export function claimOf(
  current: EventRecord | null,
  holder: string,
  now: number,
  claimMs: number,
): { readonly result: ClaimResult; readonly next?: EventRecord } {
  if (current === null || isDone(current)) return { result: { kind: 'done' } };
  const until = waitUntil(current, now);
  if (until > 0) return { result: { kind: 'wait', untilMs: until } };
  // An expired claim with no outcome: its holder died during the send, which may have reached
  // Teams, so it counts as an attempt, as a send with no answer in time does.
  const died = current.sending !== undefined && current.sending.holder !== holder;
  const next: EventRecord = {
    ...current,
    attempts: died ? current.attempts + 1 : current.attempts,
    sending: { holder, until: now + claimMs },
  };
  return { result: { kind: 'claimed', record: next }, next };
}

/** What renewing `holder`'s claim finds: renewed, nothing left to send (settled, published or
 * gone), or the claim no longer this holder's (another holder took it once it expired, and may be
 * sending). */
export type RenewResult = 'renewed' | 'done' | 'lost';

/** Decides the renewal of `holder`'s claim on `current` until `now + claimMs` (pure; the store
 * writes `next` by compare-and-swap). The holder is the fence: its claim, live or expired, is
 * renewed only while no other holder has taken it (a taker replaces the holder; a claim ended by
 * its taker leaves none, and then a send may have been tried since). */
export function renewalOf(
  current: EventRecord | null,
  holder: string,
  now: number,
  claimMs: number,
): { readonly result: RenewResult; readonly next?: EventRecord } {
  if (current === null || isDone(current)) return { result: 'done' };
  if (current.sending?.holder !== holder) return { result: 'lost' };
  const until = Math.max(current.sending.until, now + claimMs);
  return { result: 'renewed', next: { ...current, sending: { holder, until } } };
}

/** The record without the claim of `holder` (other holders' claims are kept). */
export function withoutClaim(record: EventRecord, holder: string): EventRecord {
  if (record.sending?.holder !== holder) return record;
  const { sending: _gone, ...rest } = record;
  return rest;
}
