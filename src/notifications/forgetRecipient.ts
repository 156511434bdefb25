// Forgets the conversation an event was for, after Teams refused the bot there (or the reference
// named another organization): only the reference the send used, as read (`refused`), never one
// stored since (the app installed again, the bot added again: references.ts, refusedVersion). Best effort: the event is settled first, so a forget that fails
// leaves a reference, which the next refusal in that conversation forgets, or, once a channel's
// reference is gone, only its entry on its team's list, which the team's removal takes away (no
// send reaches the channel without its reference, so no refusal comes).

import type { Logger } from 'pino';
import { ReferenceWriteError } from '../state/referenceWriteErrors';
import type { ReadReference } from '../state/references';
import { NotificationEvent } from './events';
import { WorkerOptions } from './workerOptions';

export async function forgetRecipient(
  references: WorkerOptions['references'],
  logger: Logger,
  event: NotificationEvent,
  refused: ReadReference | null,
): Promise<void> {
  // A channel reached through its team's reference has none of its own to forget.
  if (refused === null) return;
  try {
    if ('userId' in event.target) await references.forgetUser(event.target.userId, refused);
    else if ('channelId' in event.target) await references.forgetChannel(event.target.channelId, refused);
  } catch (e) {
    logger.warn(
      { err: e, event: 'notification.forget.failed', eventId: event.eventId },
      e instanceof ReferenceWriteError && e.onlyTeamListKept
        ? "the channel refused the bot and its reference was forgotten, but its team's list could not be written; " +
            "the team's list keeps the channel until the team's removal"
        : 'the conversation refused the bot, but its reference could not be forgotten; the next refusal forgets it',
    );
  }
}
