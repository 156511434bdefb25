// The alert rows of the outbox, handled inside the delivery worker (worker.ts hands them here):
// - `@alerts:fanout:<eventId>`: plan an alert's channel deliveries once and queue one row each;
// - `@alerts:send:<deliveryId>`: post the alert in one channel, at the moment the shared send
//   scheduler gives (Teams' per-thread and per-tenant limits, held in the state every instance
//   shares), with a deadline; a 429 holds the thread until its Retry-After and the
//   delivery is retried; after the last attempt it is dead-lettered with a reason; a channel
//   suspended since the first check, or that turned the alert's category off while it waited, is
//   not posted in (withheldAlert.ts);
// - `@alerts:tick:<id>`: the periodic job (reminders, digest): alerts/periodicTick.ts.
// A fan-out or send row that fails on every pass is set aside (setAside: poisonAlertRow.ts).
// The delivery record (alerts/deliveries.ts), not the queue, decides whether a card is posted, so a
// row held twice (Azure Queue Storage) or run again after a crash sends nothing twice.

import { FANOUT_ROW, SEND_ROW, StoredAlert, alertCardAt } from '../alerts/alertStore';
import { DeliveryRecord } from '../alerts/deliveries';
import { isPeriodicRow } from '../alerts/periodicRow';
import { runPeriodicRow } from '../alerts/periodicTick';
import { Lease } from '../state/port';
import { AlertFailureContext, alertSendFailed } from './alertSendFailed';
import { AlertWorkerOptions } from './alertWorkerOptions';
import { HOLDER_GONE, gaveUpReason } from './delivery';
import { Binding, endBoundRow } from './boundRow';
import { bindPostedAlert } from './postedAlert';
import { deadLetterAlertRow, UnplannedEvent } from './poisonAlertRow';
import { withEnded } from './endedAlert';
import { RememberedPosts } from './rememberedPosts';
import { ScheduledSlot, waitForSlot } from './scheduledSlot';
import { sendWithDeadline } from './sendWithDeadline';
import { dropWithheld } from './withheldAlert';

type Row = Lease<{ readonly eventId: string }>;
/** Told the token of a delivery claim taken, and undefined once a send under it begins. */
type Claimed = (token: string | undefined) => void;

/** A send due within this is reserved and waited for here. Each instance holds up to its
 * concurrency of reservations ahead under the tenant's 30 per second (two instances of 32: about
 * 2.1 s); rows due further out given back to the outbox came back together and left the tenant's
 * slots unused for hundreds of milliseconds at a time. */
const MAX_WAIT_MS = 4_000;

/** What a claim must still have left beyond the send's deadline when the send starts: the write of
 * `delivered` after it, and the clocks of instances that disagree a little. */
const CLAIM_MARGIN_MS = 5_000;

const jittered = (attempt: number): number => Math.min(60_000, 1000 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

export class AlertWorker {
  private readonly now: () => number;
  private readonly maxAttempts: number;
  private readonly sendTimeoutMs: number;
  private readonly maxWaitMs: number;
  private readonly backoffMs: (attempt: number) => number;
  /** What a failed send works with (alertSendFailed.ts). */
  private readonly failures: AlertFailureContext;
  /** Posted (or may have been, then dead-lettered under `token`), but the outcome could not be
   * written: written on the next lease, never posted again. */
  private readonly unrecorded: RememberedPosts<
    { readonly activityId: string } | { readonly deadLetter: string; readonly token: string }
  >;

  constructor(private readonly opts: AlertWorkerOptions) {
    this.now = opts.now ?? Date.now;
    this.unrecorded = new RememberedPosts(this.now);
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 15_000;
    this.maxWaitMs = opts.maxWaitMs ?? MAX_WAIT_MS;
    this.backoffMs = opts.backoffMs ?? jittered;
    this.failures = {
      ...opts,
      now: this.now,
      maxAttempts: this.maxAttempts,
      backoffMs: this.backoffMs,
      deadLetterSent: (record, token, reason) => this.deadLetterSent(record, token, reason),
    };
  }

  owns(row: Row): boolean {
    return row.payload.eventId.startsWith('@alerts:');
  }

  /** Queues the periodic job's row, unless a live one is queued already (periodicRow.ts), and checks
   * that again every period until stopPeriodic(), so a row lost while every instance runs is
   * replaced (periodicWatch.ts). Rejects when the first check fails; the next one tries again. */
  async startPeriodic(): Promise<void> {
    await this.opts.periodic?.watch.start();
  }

  /** Shutdown: no more checks; resolves once a check under way has finished. */
  async stopPeriodic(): Promise<void> {
    await this.opts.periodic?.watch.stop();
  }

  /** Works one alert row; completes or releases it. `stop` aborts a wait or a send for shutdown.
   * `claimed`: setAside ends only a claim nothing was sent under. */
  async handle(row: Row, stop: AbortSignal, claimed: Claimed = () => undefined): Promise<void> {
    const id = row.payload.eventId;
    if (id.startsWith(FANOUT_ROW)) return this.fanOut(row, id.slice(FANOUT_ROW.length));
    if (id.startsWith(SEND_ROW)) return this.deliver(row, id.slice(SEND_ROW.length), stop, claimed);
    if (isPeriodicRow(id)) return runPeriodicRow(this.opts.periodic, this.opts.outbox, this.opts.logger, row, id, stop);
    await this.opts.outbox.complete(row);
  }

  /** Sets aside a fan-out or send row that failed on every pass (poisonAlertRow.ts); `own`: the
   * claim its pass took and sent nothing under (handle's `claimed`). */
  setAside(row: Row, error: unknown, own: string | undefined, unplanned: UnplannedEvent): Promise<void> {
    const posted = (id: string, acceptedAt: string | undefined) => this.unrecorded.holds(id, acceptedAt);
    return deadLetterAlertRow({ ...this.opts, unplanned, posted }, row, error, own);
  }

  private async fanOut(row: Row, eventId: string): Promise<void> {
    const alert = await this.opts.alerts.get(eventId);
    if (alert) await this.opts.fanout(alert).fanOut(alert);
    await this.opts.outbox.complete(row);
  }

  private async deliver(row: Row, deliveryId: string, stop: AbortSignal, claimed: Claimed): Promise<void> {
    const { ledger, outbox } = this.opts;
    const record = await ledger.get(deliveryId);
    if (!record || record.state === 'delivered' || record.state === 'deadLetter') {
      // Settled (also by a write that stored the post and then failed to answer): nothing to post,
      // and no remembered post to record. A posted card whose binding failed is bound now.
      this.unrecorded.forget(deliveryId);
      const binding =
        record?.state === 'delivered' && record.activityId
          ? await bindPostedAlert(this.opts, record, record.activityId)
          : 'bound';
      await this.endPostedRow(row, binding, deliveryId, record?.updatedAt);
      return;
    }
    const posted = this.unrecorded.take(deliveryId, record.acceptedAt);
    if (posted && 'deadLetter' in posted) {
      // Under the claim it was sent under: a holder that took it since decides for itself.
      const written = await ledger.deadLetter(deliveryId, posted.token, posted.deadLetter);
      this.unrecorded.forget(deliveryId);
      if (written) {
        await outbox.complete(row);
        return;
      }
    } else if (posted) {
      const binding = await this.recordDelivered(record, posted.activityId);
      this.unrecorded.forget(deliveryId);
      await this.endPostedRow(row, binding, deliveryId, this.now());
      return;
    }
    if (record.dueAt !== undefined && record.dueAt > this.now()) {
      await outbox.release(row, record.dueAt - this.now());
      return;
    }
    const target = await this.opts.channelTarget(record.channelId);
    const tenantId = target.reference?.conversation?.tenantId ?? this.opts.tenantId;
    if (target.reference) {
      // Far from its turn under the limits: the row waits in the outbox, not in this process.
      const free = await this.opts.scheduler.peek(tenantId, record.channelId);
      if (free - this.now() > this.maxWaitMs) {
        await outbox.release(row, free - this.now());
        return;
      }
    }
    const claim = await ledger.claim(deliveryId, this.opts.owner, this.maxWaitMs + this.sendTimeoutMs + 30_000);
    if (claim.kind === 'done') {
      await outbox.complete(row);
      return;
    }
    if (claim.kind === 'later') {
      await outbox.release(row, Math.max(0, claim.retryAt - this.now()));
      return;
    }
    const { token } = claim;
    claimed(token);
    const attempt = claim.delivery.attempts;
    // The last attempts' holders died with no answer (a post may be there each time: the connector
    // takes no idempotency key): the budget is spent without one more post.
    if (target.reference === null || attempt > this.maxAttempts) {
      const reason = target.reference === null ? target.reason : gaveUpReason(HOLDER_GONE, attempt - 1);
      await ledger.deadLetter(deliveryId, token, reason);
      await outbox.complete(row);
      return;
    }
    const { reference, seen } = target;
    // The store failing before the send (the alert, the scheduler, the claim's time left): Teams was
    // not asked, so the taking goes back uncounted (best effort: a claim left runs out) and the pass
    // fails as the store's, its row coming back after its lease, as a direct notification's does
    // (directSlots.ts). Neither a send with no answer nor a holder gone.
    const givenBack = async (e: unknown): Promise<never> => {
      await ledger.release(deliveryId, token).catch(() => undefined);
      throw e;
    };
    const alert = await this.opts.alerts
      .get(record.eventId)
      .then((stored) => withEnded(stored, this.opts.endedOf))
      .catch(givenBack);
    if (!alert) {
      await ledger.deadLetter(deliveryId, token, 'The alert expired before it could be posted.');
      await outbox.complete(row);
      return;
    }
    let slot: ScheduledSlot;
    try {
      slot = await waitForSlot(this.opts.scheduler, tenantId, record.channelId, {
        now: this.now,
        stop,
        maxWaitMs: this.maxWaitMs,
      });
    } catch (e) {
      if (stop.aborted) {
        // Shutdown during the wait: nothing was sent, so the taking is given back uncounted (a
        // deployment's restarts must not spend the attempt budget of a card never posted).
        await ledger.release(deliveryId, token);
        await outbox.release(row, 0);
        return;
      }
      return givenBack(e);
    }
    // The slot was further away than the peek said (another sender took the nearer ones), or the
    // wait for it outlasted the claim or left too little of it for the send: sending then could
    // meet a second sender. Nothing was sent, so the slot, the claim and the row go back.
    if (slot.kind === 'later') {
      await ledger.release(deliveryId, token);
      await outbox.release(row, slot.ms);
      return;
    }
    // Read together, the claim's time left and the channel's record as it is now: suspended since
    // channelTarget's check (another instance's post refused, the team archived) or the alert's
    // category turned off while it waited (its turn, a 429's Retry-After), it is not posted.
    const [left, withheld] = await Promise.all([ledger.heldFor(deliveryId, token), this.opts.withheld(record)]).catch(
      async (e: unknown) => {
        await this.opts.scheduler.release(tenantId, record.channelId, slot.at).catch(() => undefined);
        return givenBack(e);
      },
    );
    if (left < this.sendTimeoutMs + CLAIM_MARGIN_MS) {
      await this.opts.scheduler.release(tenantId, record.channelId, slot.at);
      await ledger.release(deliveryId, token);
      await outbox.release(row, 0);
      return;
    }
    if (withheld !== null) {
      await dropWithheld(this.opts, { row, record, token, tenantId, slotAt: slot.at }, withheld);
      return;
    }
    if (stop.aborted) {
      // The shutdown came before the send (sendWithDeadline would refuse to start it): nothing was
      // posted, so the slot, the claim and the row go back uncounted, as for a stop during the wait.
      await this.opts.scheduler.release(tenantId, record.channelId, slot.at);
      await ledger.release(deliveryId, token);
      await outbox.release(row, 0);
      return;
    }
    let activityId: string | undefined;
    claimed(undefined);
    const card = alertCardAt(alert, this.now());
    try {
      // No await between the check above and the send's own: the stop cannot come in between.
      activityId = await sendWithDeadline(this.opts.send, reference, card, this.sendTimeoutMs, stop);
    } catch (e) {
      await alertSendFailed(this.failures, row, record, token, { tenantId, attempt, seen }, e, stop);
      return;
    }
    if (!activityId) {
      await this.deadLetterSent(record, token, 'Teams answered without a message id, so the post cannot be confirmed.');
      await outbox.complete(row);
      return;
    }
    this.unrecorded.remember(deliveryId, claim.delivery.acceptedAt, { activityId });
    const binding = await this.recordDelivered(record, activityId, alert);
    this.unrecorded.forget(deliveryId);
    await this.endPostedRow(row, binding, deliveryId, this.now());
  }

  /** Dead-letters a delivery after a send under `token` (a 500 or no message id: the card may be
   * there), remembered until written as a post is, so the row's next pass here writes it instead of
   * posting again. */
  private async deadLetterSent(record: DeliveryRecord, token: string, reason: string): Promise<void> {
    this.unrecorded.remember(record.deliveryId, record.acceptedAt, { deadLetter: reason, token });
    await this.opts.ledger.deadLetter(record.deliveryId, token, reason);
    this.unrecorded.forget(record.deliveryId);
  }

  /** Writes `delivered`, then binds the card to its item (so its buttons work; a click from the
   * card's thread finds the same binding, see CardBindings) and adds it to the item's copies. A
   * failure of the last two never leaves the delivery unrecorded; an unbound card's row comes back
   * to bind it (boundRow.ts). */
  private async recordDelivered(record: DeliveryRecord, activityId: string, known?: StoredAlert): Promise<Binding> {
    await this.opts.ledger.delivered(record.deliveryId, { activityId, conversationId: record.channelId });
    return bindPostedAlert(this.opts, record, activityId, known);
  }

  /** Completes a posted alert's row once its card is bound (boundRow.ts). `postedAt`: the
   * delivery's `delivered` write (nothing writes a delivered record after it). */
  private endPostedRow(row: Row, binding: Binding, deliveryId: string, postedAt: number | undefined): Promise<void> {
    const { outbox, logger } = this.opts;
    return endBoundRow({ outbox, row, postedAt, now: this.now(), logger, what: { deliveryId } }, binding);
  }
}
