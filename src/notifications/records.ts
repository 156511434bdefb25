// What the bot keeps about each accepted notification event: the event itself and how its
// delivery ended. GET /api/notifications/{eventId} answers from this record.

import { NotificationEvent } from './events';

export type DeliveryState = 'queued' | 'delivered' | 'undeliverable';

export interface EventRecord {
  readonly event: NotificationEvent;
  readonly state: DeliveryState;
  readonly acceptedAt: string;
  /** Sends tried so far (a wait for the pacer or a shutdown is not a send). */
  readonly attempts: number;
  /** Set when delivered: the message Teams created. */
  readonly activityId?: string;
  /** The conversation the card was sent to. */
  readonly conversationId?: string;
  /** Why the event is undeliverable, in words for the caller. */
  readonly reason?: string;
}

/** How a delivery ended, as written to the record. */
export type DeliveryOutcome =
  | { readonly state: 'delivered'; readonly activityId: string; readonly conversationId: string }
  | { readonly state: 'undeliverable'; readonly reason: string; readonly conversationId?: string };
