// The delivery worker: takes the next due outbox row under a lease, claims the send on the event's
// record, sends its card with a deadline, writes the outcome on the record (the same write ends
// the claim), records the posted card (its binding and copy), then completes the row. A retry is
// the row given back with a delay (Retry-After or backoff, also written on the record), so no
// instance holds anything while waiting and any instance may take it when it is due. The lease
// keeps a row to one instance at a time; the claim keeps an event to one send at a time however
// many rows it has (Azure Queue Storage keeps a second message for the same id) and when a lease
// ran out under a holder still at work. The polling itself (concurrency, kick, stop) is
// outboxLoop.ts.

import { randomUUID } from 'node:crypto';
import { Lease } from '../state/port';
import { classifySendError, Deliverer, gaveUpReason, recipientOf } from './delivery';
import { DirectSendSlots } from './directSlots';
import { NotificationEvent } from './events';
import { FOREIGN_TENANT_REASON, foreignTenantFields, foreignTenantOf } from './foreignTenant';
import { OutboxLoop } from './outboxLoop';
import { DeliveryOutcome, EventRecord, isDone, waitUntil } from './records';
import { logSettled, postTimeOf } from './settledLog';
import { Binding, endBoundRow } from './boundRow';
import { recordPostedCard } from './postedCard';
import { RememberedPosts } from './rememberedPosts';
import { sendWithDeadline } from './sendWithDeadline';
import { forgetRecipient } from './forgetRecipient';
import { statusOf } from './connectorRefusal';
import { WorkerOptions } from './workerOptions';

type Row = Lease<{ readonly eventId: string }>;

type DeliveredOutcome = Extract<DeliveryOutcome, { state: 'delivered' }>;

/** A send this handling may make: the row's renewed lease and the record claimed for it. */
interface Held {
  readonly row: Row;
  readonly holder: string;
  readonly record: EventRecord;
}

const jitteredBackoff = (attempt: number): number =>
  Math.min(60_000, 500 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

export class DeliveryWorker implements Deliverer {
  private readonly slots: DirectSendSlots;
  private readonly sendTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly now: () => number;
  /** Sent, but the outcome could not be written: written on the next lease, never sent again. */
  private readonly unrecorded: RememberedPosts<DeliveredOutcome & { attempts: number }>;
  private readonly loop: OutboxLoop;

  constructor(private readonly opts: WorkerOptions) {
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 15_000;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.backoffMs = opts.backoffMs ?? jitteredBackoff;
    this.now = opts.now ?? Date.now;
    this.unrecorded = new RememberedPosts(this.now);
    this.slots = new DirectSendSlots(opts.sharedPacing, opts.pacer ?? null, this.now);
    this.loop = new OutboxLoop({
      lease: () => opts.store.outbox.lease(this.leaseMs),
      giveBack: (row) => opts.store.outbox.release(row, 0),
      handle: (row) => this.handle(row),
      logger: opts.logger,
      pollMs: opts.pollMs ?? 500,
      concurrency: opts.concurrency ?? 4,
    });
  }

  /** Starts polling the outbox (rows queued before a restart included). */
  start(): void {
    this.loop.start();
  }

  /** Looks at the outbox now (an event was just accepted). */
  kick(): void {
    this.loop.kick();
  }

  /** Takes no new rows; lets sends under way finish up to `deadlineMs`, then aborts them (their
   * rows go back to the outbox for the next instance, within ABORT_GRACE_MS more). */
  stop(deadlineMs: number): Promise<void> {
    return this.loop.stop(deadlineMs);
  }

  private async handle(row: Row): Promise<void> {
    const { store } = this.opts;
    const eventId = row.payload.eventId;
    if (this.opts.alerts?.rows.owns(row)) return this.opts.alerts.rows.handle(row, this.loop.signal);
    const record = await store.get(eventId);
    // No record, or settled already (a duplicate row, an outcome stored by a write that then
    // failed to answer, or a holder that stopped after writing it): nothing to send, and no
    // remembered post to write. A delivered card is recorded again first, since its holder may
    // have stopped before it was (both writes are idempotent).
    if (!record || isDone(record)) {
      this.unrecorded.forget(eventId);
      const bound =
        record?.state === 'delivered' && record.activityId && record.conversationId
          ? await recordPostedCard(this.opts, record.conversationId, record.activityId, record)
          : 'bound';
      await this.rowAfterRecording(row, bound, record ? postTimeOf(record) : undefined);
      return;
    }
    const sent = this.unrecorded.take(eventId, record.acceptedAt);
    if (sent) {
      const { attempts, ...outcome } = sent;
      await this.delivered(row, outcome, attempts, record);
      return;
    }
    // Another row of the event is sending, or a Retry-After is being waited out: this row waits too.
    const wait = waitUntil(record, this.now()) - this.now();
    if (wait > 0) {
      await store.outbox.release(row, wait);
      return;
    }
    if ('category' in record.event.target) {
      // Many channels: the alert fan-out posts it; its status is reported per channel.
      if (!this.opts.alerts) {
        await this.settle(row, { state: 'undeliverable', reason: 'Channel alerts are not enabled.' }, 0);
        return;
      }
      const held = await this.claim(row);
      if (!held) return;
      await this.opts.alerts.publish(record.event, this.opts.render(record.event), record.acceptedAt);
      // Marked, so neither a duplicate POST nor a second row announces it again.
      await store.published(eventId, held.holder, new Date(this.now()));
      await store.outbox.complete(held.row);
      return;
    }
    const recipient = await recipientOf(record.event, this.opts.references, this.opts.channelReference);
    if ('undeliverable' in recipient) {
      await this.settle(row, { state: 'undeliverable', reason: recipient.undeliverable }, record.attempts);
      return;
    }
    const { conversationId } = recipient;
    const foreign = foreignTenantOf(recipient.reference, this.opts.servedTenant);
    if (foreign !== null) {
      await this.refuseForeign(row, record.event, foreign, record.attempts);
      return;
    }
    // The slot first: a row that must wait for it holds no claim.
    const slot = await this.slots.take(recipient.reference, conversationId, this.loop.signal);
    if (slot.kind === 'wait') {
      await store.outbox.release(row, slot.ms);
      return;
    }
    const held = await this.claim(row);
    if (!held) return slot.release();
    const attempt = held.record.attempts + 1;
    if (attempt > this.maxAttempts) {
      // The last attempts' holders died with no answer: the budget is spent without one more send.
      const reason = gaveUpReason(null, held.record.attempts);
      await slot.release();
      await this.settle(held.row, { state: 'undeliverable', reason, conversationId }, held.record.attempts);
      return;
    }
    let activityId: string | undefined;
    try {
      activityId = await sendWithDeadline(
        this.opts.send,
        recipient.reference,
        this.opts.render(record.event),
        this.sendTimeoutMs,
        this.loop.signal,
      );
    } catch (e) {
      await slot.failed(e);
      await this.failed(held, conversationId, attempt, e);
      return;
    }
    if (!activityId) {
      // Teams gave no message id: the card cannot be shown to be there, so it is not "delivered";
      // sending again could post it twice, so it is not retried either.
      const reason = 'Teams answered without a message id, so the delivery cannot be confirmed.';
      await this.settle(held.row, { state: 'undeliverable', reason, conversationId }, attempt);
      return;
    }
    const outcome: DeliveredOutcome = { state: 'delivered', activityId, conversationId };
    // Remembered until the outcome is stored: if that write fails, the row's next pass writes it
    // from here instead of sending again.
    // The record claimed (not the one read first: the intake may have replaced it since) names the
    // acceptance this post is for.
    this.unrecorded.remember(eventId, held.record.acceptedAt, { ...outcome, attempts: attempt });
    await this.delivered(held.row, outcome, attempt, record);
  }

  /** Teams accepted the card: the outcome goes first, in the write that ends the claim, so no
   * other taker can send it again however long what follows takes (a claim is only good for
   * leaseMs, and nothing renews it after the send); then the card's binding and copy, then the
   * row. A holder that stops in between leaves the row to come back to whoever records the card
   * (the branch for a settled record in handle()). */
  private async delivered(row: Row, outcome: DeliveredOutcome, attempts: number, record: EventRecord): Promise<void> {
    const eventId = record.event.eventId;
    const now = this.now();
    const settled = await this.opts.store.finish(eventId, outcome, attempts, now);
    this.unrecorded.forget(eventId);
    const bound = await recordPostedCard(this.opts, outcome.conversationId, outcome.activityId, record);
    await this.rowAfterRecording(row, bound, now);
    if (settled) logSettled(this.opts.logger, eventId, outcome, attempts);
  }

  /** Completes a delivered event's row once its card is bound (boundRow.ts). */
  private rowAfterRecording(row: Row, binding: Binding, postedAt: number | undefined): Promise<void> {
    const { outbox } = this.opts.store;
    const what = { eventId: row.payload.eventId };
    return endBoundRow({ outbox, row, postedAt, now: this.now(), logger: this.opts.logger, what }, binding);
  }

  /** Renews the row's lease, then claims the send on the record. Null when this row must not send:
   * the lease was lost (whoever holds the row now sends, and a lost lease cannot be given back),
   * the event is settled (the row completed), or another send or a Retry-After is under way (the
   * row given back until it ends). */
  private async claim(row: Row): Promise<Held | null> {
    const { store, logger } = this.opts;
    const eventId = row.payload.eventId;
    const renewed = await store.outbox.extend(row, this.leaseMs);
    if (!renewed) {
      logger.warn({ event: 'notification.lease.lost', eventId }, 'the outbox lease ran out before the send; not sent');
      return null;
    }
    const holder = randomUUID();
    const claimed = await store.claim(eventId, holder, this.now(), this.leaseMs);
    if (claimed.kind === 'done') {
      await store.outbox.complete(renewed);
      return null;
    }
    if (claimed.kind === 'wait') {
      await store.outbox.release(renewed, claimed.untilMs - this.now());
      return null;
    }
    return { row: renewed, holder, record: claimed.record };
  }

  private async failed(held: Held, conversationId: string, attempt: number, error: unknown): Promise<void> {
    const { store, logger } = this.opts;
    const { row, holder, record } = held;
    const event = record.event;
    // An answer from Teams (it has a status) is what happened, even when the shutdown began as it
    // landed: a 500 read as a shutdown would be sent again by the next instance.
    if (this.loop.signal.aborted && statusOf(error) === null) {
      // Cut short by shutdown: the card may or may not be there; the next instance tries again.
      // The claim goes first: a row visible again while its event is still claimed would make the
      // next instance wait for the claim to lapse.
      try {
        await store.unclaim(event.eventId, holder);
      } finally {
        await store.outbox.release(row, 0);
      }
      return;
    }
    const failure = classifySendError(error, this.now());
    if (failure.kind === 'retry' && attempt < this.maxAttempts) {
      const delay = Math.max(failure.afterMs ?? 0, this.backoffMs(attempt));
      // The row goes back first: a crash before the count leaves the claim to expire (then the
      // attempt is counted by whoever takes it over), never a row stuck under a lease nobody holds.
      await store.outbox.release(row, delay);
      // The wait is written on the record too, so a second row of the event waits it out as well.
      await store.retryLater(event.eventId, holder, attempt, this.now() + delay);
      logger.warn(
        { event: 'notification.retry', eventId: event.eventId, status: failure.status, attempt, delayMs: delay },
        'notification send failed; retrying later',
      );
      return;
    }
    const reason = failure.kind === 'retry' ? gaveUpReason(failure.status, attempt) : failure.reason;
    if (failure.kind === 'undeliverable' && failure.deploymentFault) {
      // Not this recipient's doing: every send would fail alike until an administrator acts.
      logger.error(
        { event: 'notification.deploymentFault', eventId: event.eventId, ...failure.deploymentFault, reason },
        'Teams refused the send for a fault of the deployment; the recipient is kept',
      );
    }
    // The outcome first: a forget that fails must not leave the event queued, its row coming back
    // to post again where the conversation refused the bot. A reference it leaves is forgotten by
    // the next refusal there.
    await this.settle(row, { state: 'undeliverable', reason, conversationId }, attempt);
    if (failure.kind === 'undeliverable' && failure.forgetRecipient)
      await forgetRecipient(this.opts.references, this.opts.logger, event);
  }

  /** The recipient's stored reference names another organization's tenant: nothing is sent, the
   * reference is forgotten as after a refusal by the conversation, and the event is undeliverable. */
  private async refuseForeign(row: Row, event: NotificationEvent, tenant: string, attempts: number): Promise<void> {
    this.opts.logger.warn(
      { event: 'notification.foreignTenant', eventId: event.eventId, ...foreignTenantFields(tenant) },
      "the recipient's chat or channel belongs to another organization; not sent, its reference forgotten",
    );
    await this.settle(row, { state: 'undeliverable', reason: FOREIGN_TENANT_REASON }, attempts);
    await forgetRecipient(this.opts.references, this.opts.logger, event);
  }

  /** Writes the outcome on the record (if still queued), then removes the row. */
  private async settle(row: Row, outcome: DeliveryOutcome, attempts: number): Promise<void> {
    const eventId = row.payload.eventId;
    const settled = await this.opts.store.finish(eventId, outcome, attempts, this.now());
    await this.opts.store.outbox.complete(row);
    if (settled) logSettled(this.opts.logger, eventId, outcome, attempts);
  }
}
