// One event or action, many channels: the per-channel deliveries, each with a stable id
// `<eventId>:<channelId>`, so doing the fan-out again (after a restart in the middle of it, or by a
// second instance) produces the same ids and repeats nothing.
//
// How it stays exactly-once on both stores:
// 1. The first fan-out of an event freezes its channel list in `alerts:fanout:<eventId>` (created
//    once). Later runs reuse that list, so a subscription changed meanwhile neither adds nor drops a
//    channel halfway through.
// 2. Each delivery gets a record `alerts:delivery:<deliveryId>` created once in state `queued`
//    (deliveries.ts), and only then its id is enqueued in the outbox.
// 3. On SQLite the outbox ignores an id already queued. On Azure Queue Storage it does not, so an
//    id may be queued twice: the worker claims the delivery record before sending (DeliveryLedger),
//    and a copy that finds the delivery delivered, dead-lettered or claimed by someone else sends
//    nothing. The record's state, not the queue, decides whether a card is posted.
// Run the fan-out itself from a leased outbox item (e.g. id `fanout:<eventId>`): if the process
// dies in the middle, the lease ends and another instance runs it again, harmlessly.
//
// An event id can come back: a notification event's record expires (eventRetention.ts) and the
// same id posted afterwards is a new event, while its alert records, kept longer, are still there.
// So the plan and each delivery are stamped with the acceptance they are for (the event record's
// acceptedAt); a fan-out for a later acceptance plans anew and replaces each older delivery with a
// queued one (its posts go out again), and the report of an acceptance shows only its own.

import { FANOUT_TTL_MS, earlierAcceptance } from '../notifications/eventRetention';
import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import { AlertTopic } from './categories';
import { DeliveryRecord, DeliveryState, deliveryKey } from './deliveries';
import { mapAtMost } from './readRounds';
import { ChannelRef } from './subscriptions';

export interface FanoutSource {
  /** The notification event id, or actionEventId(action) for an action alert. */
  readonly eventId: string;
  readonly category: AlertTopic;
  /** When the notification event was accepted (its record's acceptedAt); none for other alerts. */
  readonly acceptedAt?: string;
}

export interface ChannelDelivery extends ChannelRef {
  readonly deliveryId: string;
  readonly eventId: string;
  readonly category: AlertTopic;
}

interface FanoutRecord {
  readonly eventId: string;
  readonly category: AlertTopic;
  readonly channels: readonly ChannelRef[];
  readonly createdAt: number;
  readonly acceptedAt?: string;
}

/** Is this plan for an earlier acceptance of its event than `acceptedAt`? */
const planOlder = (plan: FanoutRecord, acceptedAt: string | undefined): boolean =>
  earlierAcceptance(plan.acceptedAt, plan.createdAt, acceptedAt);

/** Is this delivery for an earlier acceptance of its event than its plan's? */
const deliveryOlder = (record: DeliveryRecord, plan: FanoutRecord): boolean =>
  earlierAcceptance(record.acceptedAt, record.updatedAt, plan.acceptedAt);

export function deliveryIdOf(eventId: string, channelId: string): string {
  return `${eventId}:${channelId}`;
}

const fanoutKey = (eventId: string) => `alerts:fanout:${eventId}`;

function isPending(record: DeliveryRecord | undefined): boolean {
  return record?.state === 'queued' || record?.state === 'sending';
}

/** The deliveries for these channels: one per distinct channel, in a stable order. Pure. */
export function planDeliveries(source: FanoutSource, channels: readonly ChannelRef[]): ChannelDelivery[] {
  const byChannel = new Map<string, ChannelRef>();
  for (const c of channels) if (!byChannel.has(c.channelId)) byChannel.set(c.channelId, c);
  return [...byChannel.values()]
    .sort((a, b) => (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0))
    .map((c) => ({
      deliveryId: deliveryIdOf(source.eventId, c.channelId),
      eventId: source.eventId,
      category: source.category,
      teamId: c.teamId,
      channelId: c.channelId,
    }));
}

export interface FanoutOptions {
  readonly records: Records;
  /** Who is subscribed now (AlertSubscriptions.channelsFor, or digestChannels for 'digest').
   * Read only on the first fan-out of an event. */
  readonly channelsFor: (category: AlertTopic) => Promise<readonly ChannelRef[]>;
  /** Puts a delivery id in the outbox (it may or may not ignore an id already queued). */
  readonly enqueue: (deliveryId: string) => Promise<void>;
  readonly now?: () => number;
}

/** Per channel, what the status endpoint (GET /api/notifications/{eventId}) reports. */
export interface ChannelReport extends ChannelRef {
  readonly state: DeliveryState | 'unknown';
  readonly attempts: number;
  readonly activityId?: string;
  readonly reason?: string;
}

export class Fanout {
  private readonly now: () => number;

  constructor(private readonly opts: FanoutOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Plans (once per acceptance) and enqueues the deliveries of one event; safe to call again at
   * any point. */
  async fanOut(source: FanoutSource): Promise<ChannelDelivery[]> {
    const { records } = this.opts;
    const kept = { ttlMs: FANOUT_TTL_MS };
    let frozen = (await records.get<FanoutRecord>(fanoutKey(source.eventId)))?.value ?? null;
    if (!frozen || planOlder(frozen, source.acceptedAt)) {
      const channels = await this.opts.channelsFor(source.category);
      const plan: FanoutRecord = {
        eventId: source.eventId,
        category: source.category,
        channels,
        createdAt: this.now(),
        ...(source.acceptedAt !== undefined ? { acceptedAt: source.acceptedAt } : {}),
      };
      frozen = await updateRecord<FanoutRecord>(
        records,
        fanoutKey(source.eventId),
        (cur) => (cur && !planOlder(cur, source.acceptedAt) ? 'keep' : { next: plan }),
        kept,
      );
    }
    // The plan's acceptance, not the caller's: a late run for an earlier acceptance replaces nothing.
    const plan = frozen!;
    const deliveries = planDeliveries({ eventId: source.eventId, category: plan.category }, plan.channels);
    for (const d of deliveries) {
      const record: DeliveryRecord = {
        ...d,
        state: 'queued',
        attempts: 0,
        updatedAt: this.now(),
        ...(plan.acceptedAt !== undefined ? { acceptedAt: plan.acceptedAt } : {}),
      };
      let pending = (await records.create(deliveryKey(d.deliveryId), record, kept)) !== null;
      if (!pending) {
        // Enqueue only what still waits: a delivery finished before a restart is not queued again,
        // but one of an earlier acceptance of the event is replaced by this one's.
        const current = await updateRecord<DeliveryRecord>(
          records,
          deliveryKey(d.deliveryId),
          (cur) => (cur && !deliveryOlder(cur, plan) ? 'keep' : { next: record }),
          kept,
        );
        pending = isPending(current ?? undefined);
      }
      if (pending) await this.opts.enqueue(d.deliveryId);
    }
    return deliveries;
  }

  /** Gives up the fan-out of an event whose row failed on every pass (poisonRow.ts), as a channel
   * given up on is recorded: each channel of the plan for `acceptedAt` with no delivery of it yet
   * gets one dead-lettered with `reason`, so GET reports it. A delivery still waiting is queued
   * once more (a second row of it is harmless: its claim decides), or dead-lettered too when that
   * fails (it may never have been queued: the failed passes may have failed right there), unless a
   * live claim holds it (a send under way, which settles it). How many
   * channels were dead-lettered; null when there is no plan of that acceptance. */
  async abandon(eventId: string, reason: string, acceptedAt: string | undefined): Promise<number | null> {
    const { records } = this.opts;
    const kept = { ttlMs: FANOUT_TTL_MS };
    const plan = (await records.get<FanoutRecord>(fanoutKey(eventId)))?.value;
    if (!plan || planOlder(plan, acceptedAt)) return null;
    let given = 0;
    for (const d of planDeliveries({ eventId, category: plan.category }, plan.channels)) {
      const key = deliveryKey(d.deliveryId);
      const dead: DeliveryRecord = {
        ...d,
        state: 'deadLetter',
        attempts: 0,
        reason,
        updatedAt: this.now(),
        ...(plan.acceptedAt !== undefined ? { acceptedAt: plan.acceptedAt } : {}),
      };
      if ((await records.create(key, dead, kept)) !== null) {
        given++;
        continue;
      }
      const cur = (await records.get<DeliveryRecord>(key))?.value;
      const requeued = (): Promise<boolean> =>
        this.opts.enqueue(d.deliveryId).then(
          () => true,
          () => false,
        );
      // This acceptance's, settled or waiting on a row queued (once more) now: its row decides.
      if (cur && !deliveryOlder(cur, plan) && (!isPending(cur) || (await requeued()))) continue;
      const after = await updateRecord<DeliveryRecord>(
        records,
        key,
        (now) => {
          const same = now && !deliveryOlder(now, plan);
          if (same && !isPending(now)) return 'keep';
          // Claimed and live: its holder has a row of it in hand and may be posting now; it decides.
          if (same && now.state === 'sending' && now.claim && now.claim.until > this.now()) return 'keep';
          return { next: { ...dead, attempts: same ? now.attempts : 0 } };
        },
        kept,
      );
      if (after?.state === 'deadLetter') given++;
    }
    return given;
  }

  /** Per channel state of an event's fan-out, or null when the event was never fanned out.
   * `event` is what the status endpoint found of the event's record: with its acceptedAt, a plan
   * of an earlier acceptance is not this event's (null: not fanned out yet); null (no record, it
   * expired) hides a plan that belongs to an acceptance; omitted for alerts without a record. */
  async report(eventId: string, event?: { readonly acceptedAt: string } | null): Promise<ChannelReport[] | null> {
    const frozen = (await this.opts.records.get<FanoutRecord>(fanoutKey(eventId)))?.value;
    if (!frozen) return null;
    if (event === null && frozen.acceptedAt !== undefined) return null;
    if (event && planOlder(frozen, event.acceptedAt)) return null;
    // One delivery record per channel, as many as the plan holds: read at most READS_AT_ONCE at a time.
    return mapAtMost(planDeliveries({ eventId, category: frozen.category }, frozen.channels), async (d) => {
      const stored = (await this.opts.records.get<DeliveryRecord>(deliveryKey(d.deliveryId)))?.value;
      // An earlier acceptance's delivery, not yet replaced by this one's: not this event's post.
      const r = stored && !deliveryOlder(stored, frozen) ? stored : undefined;
      return {
        teamId: d.teamId,
        channelId: d.channelId,
        state: r?.state ?? 'unknown',
        attempts: r?.attempts ?? 0,
        ...(r?.activityId ? { activityId: r.activityId } : {}),
        ...(r?.reason ? { reason: r.reason } : {}),
      };
    });
  }
}
