// The state of one channel delivery, the record that keeps a fan-out exactly-once where the queue
// cannot (Azure Queue Storage may hold the same delivery id twice). A worker that leases a delivery
// id from the outbox claims the record before sending; the claim lasts longer than the send's
// deadline, so two copies of the id never send at once, and a copy that finds the delivery finished
// sends nothing. Each taking of a claim gets its own token, and only that token settles or gives
// it back: two copies of one id worked by the same instance (its workers share its identity) are
// two takings, so the second finds the first's claim held and waits. The owner (the instance) is
// kept only to say who holds it.
//
// Every write of the record (its claim, its outcome) gives it FANOUT_TTL_MS again, counted from
// its last change rather than its first.
//
// The one window left: a process that dies after Teams accepted the card but before `delivered`
// was written. Its claim expires and the next claim sends again (at least once there), because the
// Bot Connector takes no idempotency key; the record's `attempts` shows it happened.

import { randomUUID } from 'node:crypto';
import { FANOUT_TTL_MS } from '../notifications/eventRetention';
import { Records, Ttl } from '../state/port';
import { updateRecord } from '../state/update';
import { AlertTopic } from './categories';

export type DeliveryState = 'queued' | 'sending' | 'delivered' | 'deadLetter';

export interface DeliveryRecord {
  readonly deliveryId: string;
  readonly eventId: string;
  readonly category: AlertTopic;
  readonly teamId: string;
  readonly channelId: string;
  readonly state: DeliveryState;
  /** Claims taken so far (sends tried). */
  readonly attempts: number;
  /** `token` proves the holding (one per taking); `owner` is the instance, for people reading it.
   * A claim written before tokens existed has none: it holds until it ends, and nobody settles it. */
  readonly claim?: { readonly owner: string; readonly token?: string; readonly until: number };
  /** Not before this time (epoch ms): set from Retry-After and backoff. */
  readonly dueAt?: number;
  readonly activityId?: string;
  readonly conversationId?: string;
  readonly reason?: string;
  readonly updatedAt: number;
  /** The acceptance of the event this delivery is for (its record's acceptedAt), when it has one:
   * a later acceptance of the same event id plans its deliveries anew (fanout.ts). */
  readonly acceptedAt?: string;
}

export const deliveryKey = (deliveryId: string) => `alerts:delivery:${deliveryId}`;

/** Every write of a delivery record keeps it for FANOUT_TTL_MS from then. */
const KEPT: Ttl = { ttlMs: FANOUT_TTL_MS };

export type ClaimResult =
  /** `token` is the proof of this taking: settle or give back with it. */
  | { readonly kind: 'claimed'; readonly delivery: DeliveryRecord; readonly token: string }
  /** Delivered or dead-lettered already, or unknown (expired): complete the queue item, send nothing. */
  | { readonly kind: 'done' }
  /** Someone else holds it, or it is not due yet: give the queue item back until `retryAt`. */
  | { readonly kind: 'later'; readonly retryAt: number };

export class DeliveryLedger {
  constructor(
    private readonly records: Records,
    private readonly now: () => number = Date.now,
  ) {}

  async get(deliveryId: string): Promise<DeliveryRecord | null> {
    return (await this.records.get<DeliveryRecord>(deliveryKey(deliveryId)))?.value ?? null;
  }

  /** Takes the delivery for one send by `owner` for `claimMs` (longer than the send's deadline).
   * A live claim is never taken again, whoever holds it (this instance too). */
  async claim(deliveryId: string, owner: string, claimMs: number): Promise<ClaimResult> {
    let result: ClaimResult = { kind: 'done' };
    const token = randomUUID();
    await updateRecord<DeliveryRecord>(
      this.records,
      deliveryKey(deliveryId),
      (cur) => {
        const now = this.now();
        if (!cur || cur.state === 'delivered' || cur.state === 'deadLetter') {
          result = { kind: 'done' };
          return 'keep';
        }
        if (cur.claim && cur.claim.until > now) {
          result = { kind: 'later', retryAt: cur.claim.until };
          return 'keep';
        }
        if (cur.dueAt !== undefined && cur.dueAt > now) {
          result = { kind: 'later', retryAt: cur.dueAt };
          return 'keep';
        }
        const next: DeliveryRecord = {
          ...cur,
          state: 'sending',
          attempts: cur.attempts + 1,
          claim: { owner, token, until: now + claimMs },
          updatedAt: now,
        };
        result = { kind: 'claimed', delivery: next, token };
        return { next };
      },
      KEPT,
    );
    return result;
  }

  /** How long the claim `token` names is still held (ms; 0 or less when it is not held any more). */
  async heldFor(deliveryId: string, token: string): Promise<number> {
    const cur = await this.get(deliveryId);
    return cur?.state === 'sending' && cur.claim?.token === token ? cur.claim.until - this.now() : 0;
  }

  /** Teams accepted the card. Recorded whoever holds the claim, and with no claim at all (a post
   * whose record failed, written on the next lease): it is a fact, not a decision, and a holder
   * that has not sent yet then finds the delivery done and sends nothing. The first activity id is
   * kept (the card the item index and later updates point at). */
  async delivered(deliveryId: string, posted: { activityId?: string; conversationId?: string }): Promise<void> {
    await updateRecord<DeliveryRecord>(
      this.records,
      deliveryKey(deliveryId),
      (cur) => {
        if (!cur || cur.state === 'delivered') return 'keep';
        const { claim: _claim, dueAt: _due, reason: _reason, ...rest } = cur;
        return {
          next: {
            ...rest,
            state: 'delivered',
            ...(posted.activityId ? { activityId: posted.activityId } : {}),
            ...(posted.conversationId ? { conversationId: posted.conversationId } : {}),
            updatedAt: this.now(),
          },
        };
      },
      KEPT,
    );
  }

  /** The send failed in a way worth retrying: queued again, not before `dueAt`. False when the
   * claim was lost to someone else meanwhile (they decide now). */
  async retryLater(deliveryId: string, token: string, dueAt: number, reason: string): Promise<boolean> {
    return this.settle(deliveryId, token, (cur) => ({ ...cur, state: 'queued', dueAt, reason }));
  }

  /** No more attempts: the reason is what the status endpoint reports. */
  async deadLetter(deliveryId: string, token: string, reason: string): Promise<boolean> {
    return this.settle(deliveryId, token, (cur) => ({ ...cur, state: 'deadLetter', reason }));
  }

  /** Its row failed on every pass (poisonRow.ts): dead-lettered with `reason` unless settled
   * already ('settled') or claimed by a live claim other than `own` ('held'). `own` is the claim
   * the failed pass took and sent nothing under, ended here. Any other live claim may be a send
   * under way (this row's own pass once it began to post, or another instance's, through another
   * row of the delivery): its card may be in the channel, so the delivery is left to it, and the
   * row comes back after its lease. 'given' when this call dead-lettered it. */
  async giveUp(deliveryId: string, reason: string, own: string | undefined): Promise<'given' | 'settled' | 'held'> {
    let result: 'given' | 'settled' | 'held' = 'settled';
    await updateRecord<DeliveryRecord>(
      this.records,
      deliveryKey(deliveryId),
      (cur) => {
        if (!cur || (cur.state !== 'queued' && cur.state !== 'sending')) {
          result = 'settled';
          return 'keep';
        }
        if (
          cur.state === 'sending' &&
          cur.claim &&
          cur.claim.until > this.now() &&
          (own === undefined || cur.claim.token !== own)
        ) {
          result = 'held';
          return 'keep';
        }
        result = 'given';
        const { claim: _claim, dueAt: _due, ...rest } = cur;
        return { next: { ...rest, state: 'deadLetter', reason, updatedAt: this.now() } };
      },
      KEPT,
    );
    return result;
  }

  /** Gives the claim back unused (nothing was sent): queued again at once, and the taking does not
   * count as an attempt. False when it was not held any more. */
  async release(deliveryId: string, token: string): Promise<boolean> {
    return this.settle(deliveryId, token, (cur) => ({
      ...cur,
      state: 'queued',
      attempts: Math.max(0, cur.attempts - 1),
    }));
  }

  private async settle(
    deliveryId: string,
    token: string,
    change: (cur: DeliveryRecord) => DeliveryRecord,
  ): Promise<boolean> {
    let mine = false;
    await updateRecord<DeliveryRecord>(
      this.records,
      deliveryKey(deliveryId),
      (cur) => {
        mine = cur?.state === 'sending' && cur.claim?.token === token;
        if (!cur || !mine) return 'keep';
        const { claim: _claim, ...rest } = change(cur);
        return { next: { ...rest, updatedAt: this.now() } };
      },
      KEPT,
    );
    return mine;
  }
}
