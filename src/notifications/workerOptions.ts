// What the delivery worker (worker.ts) is built with: the store, how to reach and render, the
// connector, and the timings of leases, sends and retries.

import type { Logger } from 'pino';
import type { ItemCopies } from '../alerts/itemCopies';
import { CardBindings } from '../state/cardBindings';
import { ConversationReferences, StoredReference } from '../state/references';
import { OutboundCard, SendCard } from './delivery';
import { NotificationEvent } from './events';
import type { AlertWorker } from './fanoutWorker';
import { SharedPacing } from './directSlots';
import { ConversationPacer } from './pacer';
import { NotificationStore } from './store';
import { RenderEvent, TimedCard } from './timedCard';

export interface WorkerOptions {
  readonly store: NotificationStore;
  readonly references: ConversationReferences;
  /** Which items a posted card shows, so a click can be bound to its card. */
  readonly bindings: CardBindings;
  /** Every posted card of an item, so a click on any copy edits the others. */
  readonly copies?: Pick<ItemCopies, 'add'>;
  readonly send: SendCard;
  /** The event's card as it is to be sent at `now` (epoch ms, this worker's clock): what it shows
   * may depend on the moment of the send (an approval that has ended has no buttons). */
  readonly render: RenderEvent;
  readonly logger: Logger;
  /** The organization the bot serves (a tenant GUID), or null when it cannot be told: a recipient
   * whose stored reference names another tenant is never sent to, and is forgotten
   * (foreignTenant.ts); null turns that check off, as at the inbound edge. */
  readonly servedTenant: string | null;
  /** Teams' send limits shared by every instance (the channel alerts' scheduler): each send's slot
   * is reserved there and a 429 holds the conversation for all. */
  readonly sharedPacing?: SharedPacing;
  /** Without sharedPacing: this process's own pacing per conversation. */
  readonly pacer?: ConversationPacer;
  /** The deadline of one send (a hung connector is a failed attempt, retried later). */
  readonly sendTimeoutMs?: number;
  /** Well above sendTimeoutMs: a row, and the claim of a send, whose holder died is free again
   * after this. */
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly maxAttempts?: number;
  /** From this lease of a row on, a handling that throws sets the event aside as undeliverable
   * (poisonRow.ts). */
  readonly maxRowLeases?: number;
  /** Sends at once in this process. */
  readonly concurrency?: number;
  /** Wait before retry n (1-based) when Teams gave no Retry-After. */
  readonly backoffMs?: (attempt: number) => number;
  /** Wait before writing the outcome of a posted card again, after write n (1-based) failed. */
  readonly outcomeRetryMs?: (failed: number) => number;
  /** Channel alerts: their outbox rows, and events that name a category instead of a recipient. */
  readonly alerts?: {
    readonly rows: Pick<AlertWorker, 'owns' | 'handle' | 'setAside'>;
    /** Stores the event's alert and queues its fan-out to the category's channels; `acceptedAt`
     * (the record's) is the day the digest counts it on; `ended`, the card each channel is sent
     * from the approval's moment on (timedCard.ts). */
    readonly publish: (
      event: NotificationEvent,
      card: OutboundCard,
      acceptedAt: string,
      ended?: TimedCard['ended'],
    ) => Promise<void>;
  };
  /** How to reach a channel no turn was seen in (any channel of a team the bot is in). */
  readonly channelReference?: (channelId: string) => Promise<StoredReference | null>;
  /** Epoch ms: claims and Retry-After waits are judged on it (tests move it on). */
  readonly now?: () => number;
}
