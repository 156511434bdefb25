// How a channel alert's failed send ends (fanoutWorker.ts): given back uncounted at shutdown,
// tried again later (at least Teams' Retry-After, else the backoff; a 429 holds the thread for every
// instance), or dead-lettered with the reason, remembered until written (the card may be there:
// a 500, https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis);
// a refusal by the channel itself suspends its subscription.

import { DeliveryRecord } from '../alerts/deliveries';
import { Lease } from '../state/port';
import { AlertWorkerOptions } from './alertWorkerOptions';
import { classifySendError, gaveUpReason, retryDelayMs } from './delivery';
import { lastAnswerWords } from './noAnswer';
import { holdNotWritten, holdOnThrottle } from './scheduledSlot';

type Row = Lease<{ readonly eventId: string }>;

export interface AlertFailureContext extends Pick<
  AlertWorkerOptions,
  'ledger' | 'outbox' | 'logger' | 'scheduler' | 'channelRefused'
> {
  readonly now: () => number;
  readonly maxAttempts: number;
  readonly backoffMs: (attempt: number) => number;
  /** Dead-letters the delivery, remembering the outcome until it is written (fanoutWorker.ts). */
  readonly deadLetterSent: (record: DeliveryRecord, token: string, reason: string) => Promise<void>;
}

/** The send of attempt `attempt` of `record`'s delivery, under the claim `token`, failed with `error`. */
export async function alertSendFailed(
  ctx: AlertFailureContext,
  row: Row,
  record: DeliveryRecord,
  token: string,
  { tenantId, attempt, seen }: { tenantId: string; attempt: number; seen: number },
  error: unknown,
  stop: AbortSignal,
): Promise<void> {
  const { ledger, outbox, logger } = ctx;
  const id = record.deliveryId;
  if (stop.aborted) {
    // Cut short by shutdown: the card may or may not be there; the next instance decides.
    await ledger.retryLater(id, token, ctx.now(), 'The bot stopped during the send.');
    await outbox.release(row, 0);
    return;
  }
  // A channel's share of a category event (or an alert of the bot's own): never "post it again".
  const failure = classifySendError(error, ctx.now(), false);
  const delay = retryDelayMs(failure, ctx.backoffMs(attempt));
  // A 429 without Retry-After holds the thread for the backoff (scheduledSlot.ts).
  await holdOnThrottle(ctx.scheduler, tenantId, record.channelId, failure, ctx.now(), delay).catch(
    holdNotWritten(logger, record.channelId),
  );
  if (failure.kind === 'retry' && attempt < ctx.maxAttempts) {
    const reason =
      failure.status === null
        ? `No answer from Teams (${lastAnswerWords(null, error)}); trying again.`
        : `Teams answered ${failure.status}; trying again.`;
    await ledger.retryLater(id, token, ctx.now() + delay, reason);
    await outbox.release(row, delay);
    logger.warn(
      { event: 'alerts.delivery.retry', deliveryId: id, status: failure.status, attempt, delayMs: delay },
      'alert send failed; retrying later',
    );
    return;
  }
  const reason =
    failure.kind === 'retry' ? gaveUpReason(lastAnswerWords(failure.status, error), attempt) : failure.reason;
  await ctx.deadLetterSent(record, token, reason);
  if (failure.kind === 'undeliverable' && failure.deploymentFault) {
    // Not this channel's doing: every post would fail alike until an administrator acts.
    logger.error(
      { event: 'alerts.delivery.deploymentFault', deliveryId: id, ...failure.deploymentFault, reason },
      'Teams refused the alert for a fault of the deployment; the channel stays subscribed',
    );
  }
  // Only a refusal by the conversation itself suspends the channel (connectorRefusal.ts).
  if (failure.kind === 'undeliverable' && failure.forgetRecipient) await ctx.channelRefused?.(record, error, seen);
  await outbox.complete(row);
  logger.warn(
    { event: 'alerts.delivery.deadLetter', deliveryId: id, reason, attempts: attempt },
    'alert dead-lettered',
  );
}
