// What follows a card Teams accepted, for the delivery worker (worker.ts): its outcome written on
// the event's record (the write that ends the send claim, outcomeWrite.ts), its settlement told
// once, the card's binding and copy recorded (postedCard.ts), then the row ended as the binding
// allows (boundRow.ts). Also a row that finds its event settled already: a delivered card is
// recorded again (its holder may have stopped before it was), and a post remembered here whose
// write lost its answer is told then.

import { endOrphanRow } from './orphanRow';
import { OutcomeHolder, OutcomeWriteContext, SentOutcome, writeOutcome } from './outcomeWrite';
import { recordPostedCard } from './postedCard';
import { DeliveryOutcome, EventRecord, samePost } from './records';
import { RememberedPosts } from './rememberedPosts';
import { Row } from './sendClaim';
import { logSettled, postTimeOf } from './settledLog';
import { Binding, endBoundRow } from './boundRow';
import { WorkerOptions } from './workerOptions';

export type DeliveredOutcome = Extract<DeliveryOutcome, { state: 'delivered' }>;

export class DeliveredCards {
  /** eventId -> whether its post was told while its outcome writes (how many) are under way here. */
  private readonly writing = new Map<string, { told: boolean; writers: number }>();

  constructor(
    private readonly opts: WorkerOptions,
    private readonly outcomes: OutcomeWriteContext,
    /** Sent (a card posted, or that may have been), the outcome not written (the worker's). */
    private readonly unrecorded: RememberedPosts<SentOutcome>,
    private readonly now: () => number,
  ) {}

  /** The row of an event with no record, or settled already (a duplicate row, an outcome stored by
   * a write that then failed to answer, or a holder that stopped after writing it): nothing to
   * send, and no remembered post to write. A delivered card is recorded again first, since its
   * holder may have stopped before it was (both writes are idempotent). */
  async settledAlready(row: Row, record: EventRecord | null): Promise<void> {
    const { store } = this.opts;
    const eventId = row.payload.eventId;
    // A post remembered here that the record holds was stored by a write whose answer was lost:
    // its delivery is told now, once (the post is let go).
    const remembered = record ? this.unrecorded.take(eventId, record.acceptedAt) : undefined;
    if (record && remembered && samePost(record, remembered)) {
      logSettled(this.opts.logger, eventId, remembered, record.attempts);
      const writing = this.writing.get(eventId);
      if (writing) writing.told = true;
    }
    this.unrecorded.forget(eventId);
    if (!record) return endOrphanRow(store, row);
    const bound =
      record?.state === 'delivered' && record.activityId && record.conversationId
        ? await recordPostedCard(this.opts, record.conversationId, record.activityId, record)
        : 'bound';
    await this.rowAfterRecording(row, bound, record ? postTimeOf(record) : undefined);
  }

  /** Teams accepted the card: the outcome goes first, in the write that ends the claim, so no
   * other taker can send it again however long what follows takes (a claim is only good for
   * leaseMs); a failed write is tried again while the row and the claim are kept, both renewed
   * (outcomeWrite.ts). Then the card's binding and copy, then the row as last renewed. A holder
   * that stops in between leaves the row to come back to whoever records the card
   * (settledAlready). */
  async delivered(
    held: OutcomeHolder,
    outcome: DeliveredOutcome,
    attempts: number,
    record: EventRecord,
  ): Promise<void> {
    const eventId = record.event.eventId;
    const now = this.now();
    const writing = this.writing.get(eventId) ?? { told: false, writers: 0 };
    writing.writers++;
    this.writing.set(eventId, writing);
    const written = await writeOutcome(this.outcomes, held, outcome, attempts, now).finally(() => {
      if (--writing.writers === 0) this.writing.delete(eventId);
    });
    // A second row of the event handled here meanwhile may have found this post stored (a write
    // that lost its answer) and told it, or written it too: not told twice.
    const settled = written.settled && !writing.told;
    writing.told ||= settled;
    this.unrecorded.forget(eventId);
    const bound = await recordPostedCard(this.opts, outcome.conversationId, outcome.activityId, record);
    await this.rowAfterRecording(written.row, bound, now);
    if (settled) logSettled(this.opts.logger, eventId, outcome, attempts);
  }

  /** Completes a delivered event's row once its card is bound (boundRow.ts). */
  private rowAfterRecording(row: Row, binding: Binding, postedAt: number | undefined): Promise<void> {
    const { outbox } = this.opts.store;
    const what = { eventId: row.payload.eventId };
    return endBoundRow({ outbox, row, postedAt, now: this.now(), logger: this.opts.logger, what }, binding);
  }
}
