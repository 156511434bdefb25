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

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import { AlertTopic } from './categories';
import { DeliveryRecord, DeliveryState, deliveryKey } from './deliveries';
import { ChannelRef } from './subscriptions';

export interface FanoutSource {
  /** The notification event id, or actionEventId(action) for an action alert. */
  readonly eventId: string;
  readonly category: AlertTopic;
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
}

/** How long fan-out and delivery records are kept (the status endpoint reads them). */
export const FANOUT_TTL_MS = 30 * 24 * 3600_000;

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

  /** Plans (once) and enqueues the deliveries of one event; safe to call again at any point. */
  async fanOut(source: FanoutSource): Promise<ChannelDelivery[]> {
    const { records } = this.opts;
    let frozen = (await records.get<FanoutRecord>(fanoutKey(source.eventId)))?.value ?? null;
    if (!frozen) {
      const channels = await this.opts.channelsFor(source.category);
      frozen = await updateRecord<FanoutRecord>(
        records,
        fanoutKey(source.eventId),
        (cur) =>
          cur
            ? 'keep'
            : { next: { eventId: source.eventId, category: source.category, channels, createdAt: this.now() } },
        { ttlMs: FANOUT_TTL_MS },
      );
    }
    const deliveries = planDeliveries({ eventId: source.eventId, category: frozen!.category }, frozen!.channels);
    for (const d of deliveries) {
      const record: DeliveryRecord = { ...d, state: 'queued', attempts: 0, updatedAt: this.now() };
      const created = await records.create(deliveryKey(d.deliveryId), record, { ttlMs: FANOUT_TTL_MS });
      // Enqueue only what still waits: a delivery finished before a restart is not queued again.
      const pending =
        created !== null || isPending((await records.get<DeliveryRecord>(deliveryKey(d.deliveryId)))?.value);
      if (pending) await this.opts.enqueue(d.deliveryId);
    }
    return deliveries;
  }

  /** Per channel state of an event's fan-out, or null when the event was never fanned out. */
  async report(eventId: string): Promise<ChannelReport[] | null> {
    const frozen = (await this.opts.records.get<FanoutRecord>(fanoutKey(eventId)))?.value;
    if (!frozen) return null;
    return Promise.all(
      planDeliveries({ eventId, category: frozen.category }, frozen.channels).map(async (d) => {
        const r = (await this.opts.records.get<DeliveryRecord>(deliveryKey(d.deliveryId)))?.value;
        return {
          teamId: d.teamId,
          channelId: d.channelId,
          state: r?.state ?? 'unknown',
          attempts: r?.attempts ?? 0,
          ...(r?.activityId ? { activityId: r.activityId } : {}),
          ...(r?.reason ? { reason: r.reason } : {}),
        };
      }),
    );
  }
}
