// The delivery worker: takes the next due outbox row under a lease, claims the send on the event's
// record (sendClaim.ts), sends its card with a deadline; what follows a posted card (the outcome
// written in the write that ends the claim, the card's binding and copy, the row completed) is
// deliveredCard.ts. A send that fails, or a row that ends without one, is settled or given back by
// undelivered.ts. A retry is the row given back with a delay (Retry-After or backoff, also written
// on the record), so no instance holds anything while waiting and any instance may take it when it
// is due. The polling itself (concurrency, kick, stop) is outboxLoop.ts.

import { Deliverer, HOLDER_GONE, gaveUpReason, recipientOf } from './delivery';
import { DeliveredCards, DeliveredOutcome } from './deliveredCard';
import { DirectSendSlots } from './directSlots';
import { foreignTenantOf } from './foreignTenant';
import { OutboxLoop } from './outboxLoop';
import { OutcomeWriteContext, SentOutcome, outcomeRetryDelay } from './outcomeWrite';
import { isDone, waitUntil } from './records';
import { UnplannedEvent } from './poisonAlertRow';
import { MAX_ROW_LEASES, PoisonContext, handleOrDeadLetter, handleOrSetAside } from './poisonRow';
import { RememberedPosts } from './rememberedPosts';
import { renderOrGiveBack } from './renderOrGiveBack';
import { ClaimContext, Held, Row, claimSend } from './sendClaim';
import { sendWithDeadline } from './sendWithDeadline';
import { timedCard } from './timedCard';
import { holdNotWritten } from './scheduledSlot';
import { FailureContext, refuseForeign, sendFailed, settleRow, settleSent } from './undelivered';
import { unplannedEventWriter } from './unplannedEvent';
import { WorkerOptions } from './workerOptions';

const jitteredBackoff = (attempt: number): number =>
  Math.min(60_000, 500 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

export class DeliveryWorker implements Deliverer {
  private readonly slots: DirectSendSlots;
  private readonly sendTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  /** Sent (a card posted, or that may have been), the outcome not written: written on the next
   * lease, never sent again (under the claim it was sent under, while still this holder's). */
  private readonly unrecorded: RememberedPosts<SentOutcome>;
  /** What follows a card Teams accepted (or a row whose event is settled already). */
  private readonly cards: DeliveredCards;
  private readonly loop: OutboxLoop;
  /** What claiming a send, and settling a row without a card posted, work with. */
  private readonly rows: ClaimContext & FailureContext;
  /** What writing a posted card's outcome again works with. */
  private readonly outcomes: OutcomeWriteContext;
  /** What setting aside a row that fails on every pass works with. */
  private readonly poison: PoisonContext;
  /** Writes undeliverable a category event given up before any channel was planned. */
  private readonly unplanned: UnplannedEvent;

  constructor(private readonly opts: WorkerOptions) {
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 15_000;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.now = opts.now ?? Date.now;
    this.unrecorded = new RememberedPosts(this.now);
    this.unplanned = unplannedEventWriter(opts.store, this.now);
    this.slots = new DirectSendSlots(opts.sharedPacing, opts.pacer ?? null, this.now);
    this.loop = new OutboxLoop({
      lease: () => opts.store.outbox.lease(this.leaseMs),
      giveBack: (row) => opts.store.outbox.release(row, 0),
      // Channel alerts' rows are the fan-out's (fanoutWorker.ts). A row of either kind that fails
      // on every pass is set aside (poisonRow.ts): a direct notification's event dead-lettered as
      // undeliverable, an alert's channel deliveries as the fan-out gives up on a channel.
      handle: (row) => {
        const alerts = this.opts.alerts;
        if (!alerts?.rows.owns(row))
          return handleOrDeadLetter(this.poison, row, (r, claimed) => this.handle(r, claimed));
        const handle = (r: Row, claimed: (token: string | undefined) => void): Promise<void> =>
          alerts.rows.handle(r, this.loop.signal, claimed);
        return handleOrSetAside(this.poison, row, handle, (r, e, own) =>
          alerts.rows.setAside(r, e, own, this.unplanned),
        );
      },
      logger: opts.logger,
      pollMs: opts.pollMs ?? 500,
      concurrency: opts.concurrency ?? 4,
      now: this.now,
    });
    this.rows = {
      store: opts.store,
      references: opts.references,
      logger: opts.logger,
      now: this.now,
      leaseMs: this.leaseMs,
      maxAttempts: this.maxAttempts,
      backoffMs: opts.backoffMs ?? jitteredBackoff,
      signal: this.loop.signal,
      retryMs: opts.outcomeRetryMs ?? outcomeRetryDelay,
      unwritten: this.unrecorded,
    };
    this.outcomes = {
      store: opts.store,
      leaseMs: this.leaseMs,
      now: this.now,
      signal: this.loop.signal,
      retryMs: opts.outcomeRetryMs ?? outcomeRetryDelay,
    };
    this.cards = new DeliveredCards(opts, this.outcomes, this.unrecorded, this.now);
    this.poison = {
      store: opts.store,
      logger: opts.logger,
      now: this.now,
      maxRowLeases: opts.maxRowLeases ?? MAX_ROW_LEASES,
      claimMs: this.leaseMs,
      signal: this.loop.signal,
      posted: (eventId, acceptedAt) => this.unrecorded.holds(eventId, acceptedAt),
      expiredHolder: (eventId) => this.unrecorded.expired(eventId)?.holder,
    };
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

  /** `claimed` is told the holder of each send claim this handling takes, and undefined once a
   * send under it begins: a handling that throws before that leaves a claim no send used, which
   * setting the row aside ends (poisonRow.ts). */
  private async handle(row: Row, claimed: (holder: string | undefined) => void = () => undefined): Promise<void> {
    const { store } = this.opts;
    const eventId = row.payload.eventId;
    const record = await store.get(eventId);
    // No record, or settled already: the row ends (a delivered card recorded again first).
    if (!record || isDone(record)) return this.cards.settledAlready(row, record);
    const sent = this.unrecorded.take(eventId, record.acceptedAt);
    if (sent) {
      const { attempts, holder, ...outcome } = sent;
      if (outcome.state === 'delivered') return this.cards.delivered({ row, holder }, outcome, attempts, record);
      return settleSent(this.rows, { row, holder }, outcome, attempts);
    }
    // Another row of the event is sending, or a Retry-After is being waited out: this row waits too.
    const wait = waitUntil(record, this.now()) - this.now();
    if (wait > 0) {
      await store.outbox.release(row, wait);
      return;
    }
    if ('category' in record.event.target) {
      // Many channels: the alert fan-out posts it; its status is reported per channel.
      const held = await claimSend(this.rows, row);
      if (!held) return;
      claimed(held.holder);
      if (!this.opts.alerts) {
        const outcome = { state: 'undeliverable', reason: 'Channel alerts are not enabled.' } as const;
        return settleRow(this.rows, held.row, outcome, 0, held.holder);
      }
      const { alerts } = this.opts;
      // A render that throws gives the claim back, as a direct send's does (below).
      const { card, ended } = await renderOrGiveBack(store, held, () =>
        timedCard(this.opts.render, record.event, this.now()),
      );
      await alerts.publish(record.event, card, record.acceptedAt, ended);
      // Marked, so neither a duplicate POST nor a second row announces it again.
      await store.published(eventId, held.holder, new Date(this.now()));
      await store.outbox.complete(held.row);
      return;
    }
    const recipient = await recipientOf(record.event, this.opts.references, this.opts.channelReference);
    if ('undeliverable' in recipient) {
      const held = await this.claimUnsent(row, claimed);
      const outcome = { state: 'undeliverable', reason: recipient.undeliverable } as const;
      return held ? settleRow(this.rows, held.row, outcome, held.record.attempts, held.holder) : undefined;
    }
    const foreign = foreignTenantOf(recipient.reference, this.opts.servedTenant);
    if (foreign !== null) {
      const held = await this.claimUnsent(row, claimed);
      return held ? refuseForeign(this.rows, held, foreign, recipient.stored) : undefined;
    }
    const { conversationId } = recipient;
    // The slot first: a row that must wait for it holds no claim.
    const slot = await this.slots.take(recipient.reference, conversationId, this.loop.signal);
    if (slot.kind === 'wait') {
      await store.outbox.release(row, slot.ms);
      return;
    }
    // A slot not used is given back, also when the claim could not be written: the reservation
    // would count as a send in the thread's and the tenant's windows (30 a second per tenant).
    const held = await claimSend(this.rows, row).catch(async (e: unknown) => {
      await slot.release().catch(() => undefined);
      throw e;
    });
    if (!held) return slot.release();
    claimed(held.holder);
    const attempt = held.record.attempts + 1;
    if (attempt > this.maxAttempts) {
      // The last attempts' holders died with no answer: the budget is spent without one more send.
      const reason = gaveUpReason(HOLDER_GONE, held.record.attempts);
      await slot.release();
      const outcome = { state: 'undeliverable', reason, conversationId } as const;
      return settleRow(this.rows, held.row, outcome, held.record.attempts, held.holder);
    }
    // Rendered now, at the send: an approval whose moment passed since the intake has no buttons.
    // Before the send's try: a render that throws is a fault of the bot, not an answer from Teams
    // (never counted as a send); the slot and the claim go back unused, so no attempt is counted
    // when the row comes back, and the row is set aside as a failing pass (poisonRow.ts).
    const card = await renderOrGiveBack(store, held, () => this.opts.render(record.event, this.now()), slot);
    let activityId: string | undefined;
    claimed(undefined);
    try {
      activityId = await sendWithDeadline(
        this.opts.send,
        recipient.reference,
        card,
        this.sendTimeoutMs,
        this.loop.signal,
      );
    } catch (e) {
      // One backoff for both: the row's retry and, on a 429 without Retry-After, the thread's hold.
      const backoff = this.rows.backoffMs(attempt);
      await slot.failed(e, backoff).catch(holdNotWritten(this.opts.logger, conversationId));
      await sendFailed(this.rows, held, recipient, attempt, e, backoff);
      return;
    }
    if (!activityId) {
      // Teams gave no message id: the card cannot be shown to be there, so it is not "delivered";
      // sending again could post it twice, so it is not retried either.
      const reason = 'Teams answered without a message id, so the delivery cannot be confirmed.';
      await settleSent(this.rows, held, { state: 'undeliverable', reason, conversationId }, attempt);
      return;
    }
    const outcome: DeliveredOutcome = { state: 'delivered', activityId, conversationId };
    // Remembered until the outcome is stored: if that write fails, the row's next pass writes it
    // from here instead of sending again.
    // The record claimed (not the one read first: the intake may have replaced it since) names the
    // acceptance this post is for.
    this.unrecorded.remember(eventId, held.record.acceptedAt, { ...outcome, attempts: attempt, holder: held.holder });
    await this.cards.delivered(held, outcome, attempt, record);
  }

  /** The claim of a row whose recipient is unreachable (no reference, or another organization's):
   * its settlement is made under the send claim, as a send's is, so never while another row of the
   * event (or this row's taker once its lease lapsed) is sending its card, whose outcome is the
   * event's. Null when this row must not settle (claimSend). No slot: nothing is sent. */
  private async claimUnsent(row: Row, claimed: (holder: string | undefined) => void): Promise<Held | null> {
    const held = await claimSend(this.rows, row);
    if (held) claimed(held.holder);
    return held;
  }
}
