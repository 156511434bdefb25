// A channel alert whose channel turned its category (or the digest) off while it waited in the
// outbox (its turn under Teams' rate limits, a 429's Retry-After): the worker read that just before
// the post (channelTargets.ts, turnedOff), and the alert is not posted. Nothing was sent, so the
// send slot goes back unused; the delivery ends dead-lettered with the reason (settled: a second row
// of it, on Azure Queue Storage, sends nothing), its row completed, never retried, and no refusal by
// the channel is recorded (nothing suspends it). A channel that turned it on again before the post
// subscribes then, and gets it.

import { DeliveryRecord } from '../alerts/deliveries';
import { Lease } from '../state/port';
import { AlertWorkerOptions } from './alertWorkerOptions';

type Row = Lease<{ readonly eventId: string }>;

export interface TurnedOffSend {
  readonly row: Row;
  readonly record: DeliveryRecord;
  /** The claim taken for this send. */
  readonly token: string;
  readonly tenantId: string;
  /** The moment the scheduler gave the send. */
  readonly slotAt: number;
}

/** Ends the delivery unsent with `reason`, logged once (by the pass whose write settled it). A
 * store failing on the delivery's write fails the pass, as before any send (fanoutWorker.ts): the
 * claim goes back uncounted and the row returns after its lease, to read the settings again. */
export async function dropTurnedOff(
  opts: Pick<AlertWorkerOptions, 'ledger' | 'outbox' | 'logger' | 'scheduler'>,
  { row, record, token, tenantId, slotAt }: TurnedOffSend,
  reason: string,
): Promise<void> {
  const { ledger, outbox, logger, scheduler } = opts;
  const { deliveryId, teamId, channelId, category } = record;
  // Best effort: a slot not given back only spends one of the thread's sends.
  await scheduler.release(tenantId, channelId, slotAt).catch(() => undefined);
  const written = await ledger.deadLetter(deliveryId, token, reason).catch(async (e: unknown) => {
    await ledger.release(deliveryId, token).catch(() => undefined);
    throw e;
  });
  if (written)
    logger.info(
      { event: 'alerts.delivery.unsubscribed', deliveryId, teamId, channelId, category, reason },
      'the channel turned this alert off before its post; not posted',
    );
  await outbox.complete(row);
}
