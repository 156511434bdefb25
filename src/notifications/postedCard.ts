// What the delivery worker records once a notification card is posted: which item the card shows
// (CardBindings, so its buttons work) and that it is one more copy of that item (ItemCopies, so a
// click on any copy, in a channel or another chat, edits this one too). A failure of either is
// logged, not thrown: the delivery stays recorded, and the worker keeps the outbox row until the
// binding is stored (without it the card's buttons are refused), taking it again later.

import type { Logger } from 'pino';
import type { CardCopy, ItemCopies } from '../alerts/itemCopies';
import type { CardAbout } from '../domain/cardActionPorts';
import type { BoundItem, CardBindings } from '../state/cardBindings';
import type { Binding } from './boundRow';
import { acceptedMs } from './eventRetention';
import type { NotificationEvent } from './events';
import type { EventRecord } from './records';

export interface PostedCardDeps {
  readonly bindings: CardBindings;
  readonly copies?: Pick<ItemCopies, 'add'>;
  readonly logger: Logger;
}

export async function recordPostedCard(
  deps: PostedCardDeps,
  conversationId: string,
  activityId: string,
  record: Pick<EventRecord, 'event' | 'acceptedAt'>,
): Promise<Binding> {
  const { event } = record;
  const where: Partial<CardCopy> =
    'userId' in event.target
      ? { userId: event.target.userId }
      : 'channelId' in event.target
        ? { channelId: event.target.channelId }
        : {};
  return bindPostedCopy(
    deps,
    { operation: event.item.operation, ids: event.item.ids },
    { conversationId, activityId, ...where },
    { prefix: 'notification', fields: { eventId: event.eventId }, what: 'delivered card' },
    acceptedMs(record.acceptedAt),
    aboutOf(event),
  );
}

/** What the card of `event` says its item is, for its binding (a press's answer keeps it): the
 * bot's own rendering of the event's validated fields. None for an event an earlier release
 * accepted: its pressed card stays as it was. */
export function aboutOf(event: Pick<NotificationEvent, 'title' | 'about' | 'facts'>): CardAbout | undefined {
  return event.about ? { title: event.title, line: event.about, facts: event.facts } : undefined;
}

/** How the two posting workers name a posted card in their logs. */
export interface PostedNames {
  readonly prefix: 'notification' | 'alerts';
  readonly fields: Readonly<Record<string, unknown>>;
  readonly what: string;
}

/** Binds a posted card to its item, then adds it to the item's copies: 'unbound' when the binding
 * could not be stored (the worker keeps its row); a copy that could not be added is only logged.
 * `formedAt`: when the event the card shows was accepted, if known; `about`: what the card says its
 * item is, if known (CardBindings.bind). */
export async function bindPostedCopy(
  deps: PostedCardDeps,
  item: BoundItem,
  copy: CardCopy,
  names: PostedNames,
  formedAt?: number,
  about?: CardAbout,
): Promise<Binding> {
  try {
    await deps.bindings.bind(copy.conversationId, copy.activityId, [item], formedAt, about);
  } catch (e) {
    deps.logger.error(
      { err: e, event: `${names.prefix}.bind.failed`, ...names.fields },
      `the ${names.what} could not be bound to its item`,
    );
    return 'unbound';
  }
  // A missing copy only leaves this card stale after a click elsewhere; not worth holding the row.
  try {
    await deps.copies?.add(item, copy);
  } catch (e) {
    deps.logger.warn(
      { err: e, event: `${names.prefix}.copy.failed`, ...names.fields },
      `the ${names.what} was not added to its item copies`,
    );
  }
  return 'bound';
}
