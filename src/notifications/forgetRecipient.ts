// Forgets the conversation an event was for, after Teams refused the bot there (or the reference
// named another organization). Best effort: the event is settled first, so a forget that fails
// leaves only a reference, which the next refusal in that conversation forgets.

import type { Logger } from 'pino';
import { NotificationEvent } from './events';
import { WorkerOptions } from './workerOptions';

export async function forgetRecipient(
  references: WorkerOptions['references'],
  logger: Logger,
  event: NotificationEvent,
): Promise<void> {
  try {
    if ('userId' in event.target) await references.forgetUser(event.target.userId);
    else if ('channelId' in event.target) await references.forgetChannel(event.target.channelId);
  } catch (e) {
    logger.warn(
      { err: e, event: 'notification.forget.failed', eventId: event.eventId },
      'the conversation refused the bot, but its reference could not be forgotten; the next refusal forgets it',
    );
  }
}
