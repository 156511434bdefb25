// The last step before a direct notification's send: the row's lease is renewed, then the send is
// claimed on the event's record. The lease keeps a row to one instance at a time; the claim keeps
// an event to one send at a time however many rows it has (Azure Queue Storage keeps a second
// message for the same id) and when a lease ran out under a holder still at work.

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Lease } from '../state/port';
import { EventRecord } from './records';
import { NotificationStore } from './store';

/** A direct notification's outbox row, under this instance's lease. */
export type Row = Lease<{ readonly eventId: string }>;

/** A send this handling may make: the row's renewed lease and the record claimed for it. */
export interface Held {
  readonly row: Row;
  readonly holder: string;
  readonly record: EventRecord;
}

export interface ClaimContext {
  readonly store: NotificationStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** How long the renewed lease, and the claim, hold. */
  readonly leaseMs: number;
}

/** Renews the row's lease, then claims the send on the record. Null when this row must not send:
 * the lease was lost (whoever holds the row now sends, and a lost lease cannot be given back),
 * the event is settled (the row completed), or another send or a Retry-After is under way (the
 * row given back until it ends). */
export async function claimSend(ctx: ClaimContext, row: Row): Promise<Held | null> {
  const { store, logger } = ctx;
  const eventId = row.payload.eventId;
  const renewed = await store.outbox.extend(row, ctx.leaseMs);
  if (!renewed) {
    logger.warn({ event: 'notification.lease.lost', eventId }, 'the outbox lease ran out before the send; not sent');
    return null;
  }
  const holder = randomUUID();
  const claimed = await store.claim(eventId, holder, ctx.now(), ctx.leaseMs);
  if (claimed.kind === 'done') {
    await store.outbox.complete(renewed);
    return null;
  }
  if (claimed.kind === 'wait') {
    await store.outbox.release(renewed, claimed.untilMs - ctx.now());
    return null;
  }
  return { row: renewed, holder, record: claimed.record };
}
