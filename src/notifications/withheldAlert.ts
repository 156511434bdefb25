// A channel alert withheld at the last moment: the worker read the channel's record just before the
// post (channelTargets.ts, withheld) and found it suspended since its first check (another
// instance's post there refused, its team archived) or its category (or the digest) turned off
// while the alert waited in the outbox (its turn under Teams' rate limits, a 429's Retry-After), and
// the alert is not posted. Nothing was sent, so the send slot goes back unused; the delivery ends
// dead-lettered with the reason (settled: a second row of it, on Azure Queue Storage, sends
// nothing), its row completed, never retried, and no refusal by the channel is recorded (nothing
// suspends it here). A channel that turned the category on again before the post subscribes then,
// and gets it.

import { DeliveryRecord } from '../alerts/deliveries';
import { Lease } from '../state/port';
import { AlertWorkerOptions, Withheld } from './alertWorkerOptions';

type Row = Lease<{ readonly eventId: string }>;

export interface WithheldSend {
  readonly row: Row;
  readonly record: DeliveryRecord;
  /** The claim taken for this send. */
  readonly token: string;
  readonly tenantId: string;
  /** The moment the scheduler gave the send. */
  readonly slotAt: number;
}

/** Ends the delivery unsent with the reason. A category turned off is logged once (by the pass whose
 * write settled it); a suspension is not: it was logged when it began, and an alert the first check
 * finds suspended is dead-lettered without a line either. A store failing on the delivery's write
 * fails the pass, as before any send (fanoutWorker.ts): the claim goes back uncounted and the row
 * returns after its lease, to read the record again. */
export async function dropWithheld(
  opts: Pick<AlertWorkerOptions, 'ledger' | 'outbox' | 'logger' | 'scheduler'>,
  { row, record, token, tenantId, slotAt }: WithheldSend,
  { reason, suspended }: Withheld,
): Promise<void> {
  const { ledger, outbox, logger, scheduler } = opts;
  const { deliveryId, teamId, channelId, category } = record;
  // Best effort: a slot not given back only spends one of the thread's sends.
  await scheduler.release(tenantId, channelId, slotAt).catch(() => undefined);
  const written = await ledger.deadLetter(deliveryId, token, reason).catch(async (e: unknown) => {
    await ledger.release(deliveryId, token).catch(() => undefined);
    throw e;
  });
  if (written && !suspended)
    logger.info(
      { event: 'alerts.delivery.unsubscribed', deliveryId, teamId, channelId, category, reason },
      'the channel turned this alert off before its post; not posted',
    );
  await outbox.complete(row);
}
