// Setting aside a channel alert's row that failed on every pass (poisonRow.ts judges when), the way
// the fan-out already gives up on a channel: the delivery dead-lettered with a reason, which GET
// /api/notifications/{eventId} reports for that channel (fanoutStatus.ts), then the row removed
// and one line at error level naming the event and the channel (no stack: each failed pass's own
// line has it).
// - a send row (`@alerts:send:<deliveryId>`): its delivery is dead-lettered (DeliveryLedger.giveUp),
//   but not while its card may be in the channel: a post this instance remembers (its outcome
//   could not be written), or a live claim other than the one the failed pass took and sent
//   nothing under (a send under way, here or on another instance). The row then comes back after
//   its lease, as a direct notification's does under another's claim (poisonRow.ts);
// - a fan-out row (`@alerts:fanout:<eventId>`): every planned channel still without a delivery is
//   given one dead-lettered (Fanout.abandon); with no plan at all there is no channel to report,
//   so a notification event's own record is written undeliverable (`unplanned`), which GET reports.
// The periodic row is never set aside: coming back is its job, and its pass's failures are caught
// and logged inside it (periodicTick.ts). Nothing is written for a row of any other kind.

import type { Logger } from 'pino';
import { FANOUT_ROW, SEND_ROW, StoredAlert } from '../alerts/alertStore';
import { DeliveryLedger } from '../alerts/deliveries';
import { Fanout } from '../alerts/fanout';
import { WorkQueue } from '../state/port';
import { errorTypeOf, poisonReason } from './poisonRow';
import { Row } from './sendClaim';

/** A notification event (its acceptance `acceptedAt`) whose fan-out was given up before a plan was
 * made: its record is written undeliverable with `reason`; true when this call did. */
export type UnplannedEvent = (eventId: string, acceptedAt: string | undefined, reason: string) => Promise<boolean>;

export interface AlertPoisonContext {
  readonly ledger: Pick<DeliveryLedger, 'get' | 'giveUp'>;
  readonly plans: Pick<Fanout, 'abandon'>;
  readonly alerts: { get(eventId: string): Promise<StoredAlert | null> };
  readonly outbox: Pick<WorkQueue<{ readonly eventId: string }>, 'complete'>;
  readonly logger: Logger;
  readonly unplanned: UnplannedEvent;
  /** Whether this instance remembers a post of the delivery (of that acceptance) not yet written. */
  readonly posted: (deliveryId: string, acceptedAt: string | undefined) => boolean;
}

/** `own`: the delivery claim the failed pass took and sent nothing under, if any. */
export async function deadLetterAlertRow(
  ctx: AlertPoisonContext,
  row: Row,
  error: unknown,
  own: string | undefined,
): Promise<void> {
  const id = row.payload.eventId;
  const line = { leases: row.attempts, errorType: errorTypeOf(error) };
  if (id.startsWith(SEND_ROW)) {
    const deliveryId = id.slice(SEND_ROW.length);
    // Read first for the line's event and channel; a record that cannot be read (the fault may be
    // there) is still given up on by id.
    const record = await ctx.ledger.get(deliveryId).catch(() => null);
    const outcome =
      record && (record.state === 'queued' || record.state === 'sending') && ctx.posted(deliveryId, record.acceptedAt)
        ? 'held'
        : await ctx.ledger.giveUp(deliveryId, poisonReason(row.attempts, 'posting this alert here'), own);
    const where = record ? { eventId: record.eventId, channelId: record.channelId } : {};
    if (outcome === 'held') {
      ctx.logger.warn(
        { event: 'alerts.deadLetter.deferred', deliveryId, ...where, ...line },
        'a channel alert that failed on every try may be posted or being posted; not set aside now',
      );
      return;
    }
    const settled = outcome === 'given';
    await ctx.outbox.complete(row);
    ctx.logger.error(
      { event: 'alerts.deadLetter', deliveryId, ...where, ...line, settled },
      settled
        ? 'a channel alert whose post failed on every try is dead-lettered for that channel; not tried again'
        : 'the outbox row of a settled channel alert failed on every try; removed',
    );
    return;
  }
  if (!id.startsWith(FANOUT_ROW)) return;
  const eventId = id.slice(FANOUT_ROW.length);
  const alert = await ctx.alerts.get(eventId).catch(() => null);
  const reason = poisonReason(row.attempts, 'handing this alert to its channels');
  const channels = await ctx.plans.abandon(eventId, reason, alert?.acceptedAt);
  const settled = channels === null ? await ctx.unplanned(eventId, alert?.acceptedAt, reason) : channels > 0;
  await ctx.outbox.complete(row);
  ctx.logger.error(
    {
      event: 'alerts.deadLetter',
      eventId,
      deadLetteredChannels: channels ?? 0,
      planned: channels !== null,
      ...line,
      settled,
    },
    `a channel alert whose fan-out failed on every try is given up; ${givenUpWhat(channels, settled)}`,
  );
}

/** What giving up on a fan-out wrote, in words: `channels` as Fanout.abandon answered. With no
 * plan and nothing settled, the event was settled meanwhile, accepted again since, or is an alert
 * the bot made itself (no record). */
function givenUpWhat(channels: number | null, settled: boolean): string {
  if (channels === null)
    return settled
      ? 'no channel was planned; the event is undeliverable'
      : 'no channel was planned and no open notification event is left to mark undeliverable; nothing written';
  if (channels === 0)
    return 'every planned channel has its delivery (those waiting are queued again); nothing dead-lettered';
  return `the ${channels} planned channel${channels === 1 ? '' : 's'} it had not reached ${channels === 1 ? 'is' : 'are'} dead-lettered`;
}
