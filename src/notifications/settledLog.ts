// What a notification's settled record says outside it: the log line of its outcome, and when its
// card was posted (what a binding retried from the record counts from).

import type { Logger } from 'pino';
import { acceptedMs } from './eventRetention';
import { DeliveryOutcome, EventRecord } from './records';

/** One line per settled event: delivered (info) or undeliverable with its reason (warn). */
export function logSettled(logger: Logger, eventId: string, outcome: DeliveryOutcome, attempts: number): void {
  if (outcome.state === 'delivered') {
    logger.info(
      { event: 'notification.delivered', eventId, activityId: outcome.activityId, attempts },
      'notification delivered',
    );
  } else {
    logger.warn(
      { event: 'notification.undeliverable', eventId, reason: outcome.reason, attempts },
      'notification undeliverable',
    );
  }
}

/** When a delivered record's card was posted: its settledAt, or, for a record settled by an
 * earlier release without one, its acceptance (earlier than the post, so a binding retried from it
 * gives up no later than a day after the event came). */
export function postTimeOf(record: EventRecord): number | undefined {
  return record.settledAt ?? acceptedMs(record.acceptedAt);
}
