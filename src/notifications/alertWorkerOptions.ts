// What the alert worker (fanoutWorker.ts) is given: its stores, the send scheduler, how to find
// a channel's reference, how to post, and its limits.

import type { Logger } from 'pino';
import { AlertStore, StoredAlert } from '../alerts/alertStore';
import { DeliveryLedger, DeliveryRecord } from '../alerts/deliveries';
import { Fanout } from '../alerts/fanout';
import { ItemCopies } from '../alerts/itemCopies';
import { PeriodicJob } from '../alerts/periodicTick';
import { SendScheduler } from '../alerts/rateLimits';
import { CardBindings } from '../state/cardBindings';
import { WorkQueue } from '../state/port';
import type { StoredReference } from '../state/references';
import { SendCard } from './delivery';
import type { EndedOf } from './endedAlert';

/** Where a delivery's alert is posted, looked up for each attempt: the reference (any channel of a
 * team the bot is in) and `seen`, what the lookup knew of the channel, handed back to
 * channelRefused with a refusal of this post; or, when it is not posted there, why (the
 * dead-letter reason, in words for the team). */
export type ChannelTarget =
  | { readonly reference: StoredReference; readonly seen: number }
  | { readonly reference: null; readonly reason: string };

/** Why a delivery is not posted after all, read just before its post: the channel was suspended
 * since the first check, or turned the delivery's category off since it was queued. */
export interface Withheld {
  /** The dead-letter reason, in words for the team. */
  readonly reason: string;
  /** Suspended (logged as such when it was): not logged again as a category turned off. */
  readonly suspended: boolean;
}

export interface AlertWorkerOptions {
  readonly outbox: WorkQueue<{ readonly eventId: string }>;
  readonly alerts: AlertStore;
  readonly fanout: (alert: StoredAlert) => Fanout;
  /** The fan-out plans, read by id to give up an event's fan-out whose row failed on every pass. */
  readonly plans: Pick<Fanout, 'abandon'>;
  readonly ledger: DeliveryLedger;
  readonly scheduler: SendScheduler;
  /** How to post a new thread in a channel, or why not. */
  readonly channelTarget: (channelId: string) => Promise<ChannelTarget>;
  /** Read just before each post: why the channel is not posted the delivery any more (suspended
   * since channelTarget's check, or its category turned off since it was queued), or null when it
   * is. Throws when the store fails. */
  readonly withheld: (delivery: DeliveryRecord) => Promise<Withheld | null>;
  readonly bindings: CardBindings;
  readonly copies: ItemCopies;
  readonly send: SendCard;
  readonly logger: Logger;
  /** This instance, as the owner of delivery claims. */
  readonly owner: string;
  /** The tenant of references that name none. */
  readonly tenantId: string;
  readonly periodic?: PeriodicJob;
  readonly now?: () => number;
  readonly maxAttempts?: number;
  readonly sendTimeoutMs?: number;
  /** A send due later than this is given back to the outbox instead of waited for here. */
  readonly maxWaitMs?: number;
  readonly backoffMs?: (attempt: number) => number;
  /** Teams refused the channel itself (a 403 or 404 of the conversation, not of the bot's
   * deployment: connectorRefusal.ts): the delivery is dead-lettered, then this is told,
   * with the target's `seen` (the channel's subscription is suspended). Never throws. */
  readonly channelRefused?: (delivery: DeliveryRecord, error: unknown, seen: number) => Promise<void>;
  /** The ended card of an alert stored without one (endedAlert.ts); none: the alert's as stored. */
  readonly endedOf?: EndedOf;
}
