// What the delivery worker records once a notification card is posted: which item the card shows
// (CardBindings, so its buttons work) and that it is one more copy of that item (ItemCopies, so a
// click on any copy, in a channel or another chat, edits this one too). A failure of either is
// logged, not thrown: the delivery stays recorded, and the worker keeps the outbox row until the
// binding is stored (without it the card's buttons are refused), taking it again later.

import type { Logger } from 'pino';
import type { CardCopy, ItemCopies } from '../alerts/itemCopies';
import type { CardBindings } from '../state/cardBindings';
import type { Binding } from './boundRow';
import type { NotificationEvent } from './events';

export interface PostedCardDeps {
  readonly bindings: CardBindings;
  readonly copies?: Pick<ItemCopies, 'add'>;
  readonly logger: Logger;
}

export async function recordPostedCard(
  deps: PostedCardDeps,
  conversationId: string,
  activityId: string,
  event: NotificationEvent,
): Promise<Binding> {
  const item = { operation: event.item.operation, ids: event.item.ids };
  try {
    await deps.bindings.bind(conversationId, activityId, [item]);
  } catch (e) {
    deps.logger.error(
      { err: e, event: 'notification.bind.failed', eventId: event.eventId },
      'the delivered card could not be bound to its item',
    );
    return 'unbound';
  }
  const where: Partial<CardCopy> =
    'userId' in event.target
      ? { userId: event.target.userId }
      : 'channelId' in event.target
        ? { channelId: event.target.channelId }
        : {};
  try {
    await deps.copies?.add(item, { conversationId, activityId, ...where });
  } catch (e) {
    deps.logger.warn(
      { err: e, event: 'notification.copy.failed', eventId: event.eventId },
      'the delivered card was not added to its item copies',
    );
  }
  // A missing copy only leaves this card stale after a click elsewhere; not worth holding the row.
  return 'bound';
}
