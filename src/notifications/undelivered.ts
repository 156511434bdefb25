// How a direct notification's row ends when no card was posted: the outcome written on the event's
// record, then the row removed; or, after a send that failed, the row given back to be tried again
// later (a retry, or a send cut short by shutdown). A refusal by the conversation, or a reference
// that names another organization, also forgets the recipient.

import type { Logger } from 'pino';
import { statusOf } from './connectorRefusal';
import type { ReadReference } from '../state/references';
import { Reached, classifySendError, gaveUpReason, retryDelayMs } from './delivery';
import { lastAnswerWords } from './noAnswer';
import { OutcomeHolder, OutcomeWriteContext, SentOutcome, writeOutcome } from './outcomeWrite';
import { RememberedPosts } from './rememberedPosts';
import { FOREIGN_TENANT_REASON, foreignTenantFields } from './foreignTenant';
import { forgetRecipient } from './forgetRecipient';
import { DeliveryOutcome } from './records';
import { Held, Row } from './sendClaim';
import { logSettled } from './settledLog';
import { NotificationStore } from './store';
import { WorkerOptions } from './workerOptions';

export interface SettleContext {
  readonly store: NotificationStore;
  readonly references: WorkerOptions['references'];
  readonly logger: Logger;
  readonly now: () => number;
}

export interface FailureContext extends SettleContext, OutcomeWriteContext {
  readonly maxAttempts: number;
  /** Wait before retry n (1-based) when Teams gave no Retry-After. */
  readonly backoffMs: (attempt: number) => number;
  /** Aborted when the worker stops: a send cut short by it is given back, not counted. */
  readonly signal: AbortSignal;
  /** Outcomes of sends not yet written (the worker's, shared with its posted cards'). */
  readonly unwritten: RememberedPosts<SentOutcome>;
}

/** Writes the outcome on the record (if still queued and, with `holder`, still under that holder's
 * send claim), then removes the row. */
export async function settleRow(
  ctx: SettleContext,
  row: Row,
  outcome: DeliveryOutcome,
  attempts: number,
  holder?: string,
): Promise<void> {
  const eventId = row.payload.eventId;
  const settled = await ctx.store.finish(eventId, outcome, attempts, ctx.now(), holder);
  await ctx.store.outbox.complete(row);
  if (settled) logSettled(ctx.logger, eventId, outcome, attempts);
}

/** settleRow for an outcome written after a send under `held`'s claim, whose card may be in the
 * chat (a 500, no message id): a failed write is tried again while the row and the claim are kept
 * (outcomeWrite.ts), as a posted card's is, and the outcome stays remembered until it is written,
 * so the row's next pass on this instance writes it instead of sending again (`held` without the
 * record: that pass). Only another instance, taking the row once the lease and the claim ran out,
 * sends the event again. */
export async function settleSent(
  ctx: FailureContext,
  held: OutcomeHolder | Held,
  outcome: DeliveryOutcome,
  attempts: number,
): Promise<void> {
  const eventId = held.row.payload.eventId;
  if ('record' in held)
    ctx.unwritten.remember(eventId, held.record.acceptedAt, { ...outcome, attempts, holder: held.holder });
  const { settled, row } = await writeOutcome(ctx, held, outcome, attempts, ctx.now());
  ctx.unwritten.forget(eventId);
  await ctx.store.outbox.complete(row);
  if (settled) logSettled(ctx.logger, eventId, outcome, attempts);
}

/** The recipient's stored reference names another organization's tenant: nothing is sent, the
 * reference is forgotten as after a refusal by the conversation, and the event is undeliverable
 * (under `held`'s send claim, as an unreachable recipient's is). */
export async function refuseForeign(
  ctx: SettleContext,
  held: Held,
  tenant: string,
  stored: ReadReference | null,
): Promise<void> {
  const { row, holder, record } = held;
  const event = record.event;
  ctx.logger.warn(
    { event: 'notification.foreignTenant', eventId: event.eventId, ...foreignTenantFields(tenant) },
    "the recipient's chat or channel belongs to another organization; not sent, its reference forgotten",
  );
  await settleRow(ctx, row, { state: 'undeliverable', reason: FOREIGN_TENANT_REASON }, record.attempts, holder);
  await forgetRecipient(ctx.references, ctx.logger, event, stored);
}

/** The send of attempt `attempt` failed with `error`: given back for the next instance (cut short
 * by shutdown), given back with a delay (a retry within the budget, at least `backoffMs`), or
 * settled undeliverable. */
export async function sendFailed(
  ctx: FailureContext,
  held: Held,
  { conversationId, stored }: Pick<Reached, 'conversationId' | 'stored'>,
  attempt: number,
  error: unknown,
  backoffMs: number = ctx.backoffMs(attempt),
): Promise<void> {
  const { store, logger } = ctx;
  const { row, holder, record } = held;
  const event = record.event;
  // An answer from Teams (it has a status) is what happened, even when the shutdown began as it
  // landed: a 500 read as a shutdown would be sent again by the next instance.
  if (ctx.signal.aborted && statusOf(error) === null) {
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
  const failure = classifySendError(error, ctx.now());
  if (failure.kind === 'retry' && attempt < ctx.maxAttempts) {
    const delay = retryDelayMs(failure, backoffMs);
    // The row goes back first: a crash before the count leaves the claim to expire (then the
    // attempt is counted by whoever takes it over), never a row stuck under a lease nobody holds.
    await store.outbox.release(row, delay);
    // The wait is written on the record too, so a second row of the event waits it out as well.
    await store.retryLater(event.eventId, holder, attempt, ctx.now() + delay);
    logger.warn(
      { event: 'notification.retry', eventId: event.eventId, status: failure.status, attempt, delayMs: delay },
      'notification send failed; retrying later',
    );
    return;
  }
  const reason =
    failure.kind === 'retry' ? gaveUpReason(lastAnswerWords(failure.status, error), attempt) : failure.reason;
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
  await settleSent(ctx, held, { state: 'undeliverable', reason, conversationId }, attempt);
  if (failure.kind === 'undeliverable' && failure.forgetRecipient)
    await forgetRecipient(ctx.references, ctx.logger, event, stored);
}
