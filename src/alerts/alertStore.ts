// What one alert shows, stored once before it is fanned out, so every channel delivery (on any
// instance, after any restart) posts the same card: the rendered card, its category, the item its
// buttons act on (for card bindings and the copies index) and, for per-channel alerts such as a
// digest, the one channel it is for. Also the outbox row ids the alert work travels under: they
// start with "@", which no intake event id may contain, so they never meet a notification's row.
// A notification event's alert is stamped with the event's acceptance: the same event id accepted
// again after its retention (eventRetention.ts) replaces the alert of the earlier acceptance.

import { FANOUT_TTL_MS, earlierAcceptance } from '../notifications/eventRetention';
import { Records, WorkQueue } from '../state/port';
import type { CardAbout } from '../domain/cardActionPorts';
import type { BoundItem } from '../state/cardBindings';
import { updateRecord } from '../state/update';
import { AlertTopic } from './categories';
import { ChannelRef } from './subscriptions';

export interface AlertCard {
  readonly attachment: { readonly contentType: string; readonly content?: unknown };
  readonly summary: string;
}

export interface StoredAlert {
  readonly eventId: string;
  readonly category: AlertTopic;
  readonly card: AlertCard;
  readonly item?: BoundItem;
  /** What the card says its item is (a notification event's), kept with each post's binding. */
  readonly about?: CardAbout;
  /** Only these channels (a digest is per channel); otherwise the category's subscribers. */
  readonly channels?: readonly ChannelRef[];
  /** When the notification event was accepted (its record's acceptedAt); none for other alerts. */
  readonly acceptedAt?: string;
  /** The card posted instead from `at` on (epoch ms): an approval the event said ends then (its
   * buttons gone), so a channel reached after that moment is never offered a decision. Null: the
   * publisher judged there is none (endedAlert.ts reads the event only for an alert without this,
   * one stored by the release before). */
  readonly ended?: { readonly at: number; readonly card: AlertCard } | null;
}

/** The card of an alert as it is posted at `now`: each channel's post is judged at its own send. */
export function alertCardAt(alert: Pick<StoredAlert, 'card' | 'ended'>, now: number): AlertCard {
  return alert.ended && now >= alert.ended.at ? alert.ended.card : alert.card;
}

export const FANOUT_ROW = '@alerts:fanout:';
export const SEND_ROW = '@alerts:send:';
/** The periodic rows are `@alerts:tick:<unique id>` (periodicRow.ts); `@alerts:tick` alone was an
 * earlier version's. */
export const TICK_ROW = '@alerts:tick';

const alertKey = (eventId: string) => `alerts:alert:${eventId}`;

export type Outbox = WorkQueue<{ readonly eventId: string }>;

export class AlertStore {
  constructor(
    private readonly records: Records,
    private readonly outbox: Outbox,
  ) {}

  async get(eventId: string): Promise<StoredAlert | null> {
    return (await this.records.get<StoredAlert>(alertKey(eventId)))?.value ?? null;
  }

  /** Stores the alert (once per acceptance: a second publish of the same event id keeps the first
   * card, unless it is of a later acceptance of the event) and queues its fan-out. Resolves when
   * both are stored. */
  async publish(alert: StoredAlert): Promise<void> {
    const key = alertKey(alert.eventId);
    const kept = { ttlMs: FANOUT_TTL_MS };
    if ((await this.records.create(key, alert, kept)) === null) {
      await updateRecord<StoredAlert>(
        this.records,
        key,
        // An unstamped alert (stored before alerts were stamped) is kept: one of an earlier acceptance
        // expired before that event's record did (it was written first, with the same TTL).
        (cur) => (cur && !earlierAcceptance(cur.acceptedAt, undefined, alert.acceptedAt) ? 'keep' : { next: alert }),
        kept,
      );
    }
    await this.enqueueFanout(alert.eventId);
  }

  async enqueueFanout(eventId: string): Promise<void> {
    const id = `${FANOUT_ROW}${eventId}`;
    await this.outbox.enqueue(id, { eventId: id });
  }

  async enqueueSend(deliveryId: string): Promise<void> {
    const id = `${SEND_ROW}${deliveryId}`;
    await this.outbox.enqueue(id, { eventId: id });
  }
}
