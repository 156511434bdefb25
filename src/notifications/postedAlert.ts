// What the alert worker records once an alert is posted in a channel, after its delivery is
// written: which item the card shows (CardBindings, so its buttons work; a click from the card's
// thread finds the same binding) and that it is one more copy of that item (ItemCopies, so a click
// on any copy edits this one too). Mirrors postedCard.ts for direct notifications.

import type { Logger } from 'pino';
import type { AlertStore, StoredAlert } from '../alerts/alertStore';
import type { DeliveryRecord } from '../alerts/deliveries';
import type { ItemCopies } from '../alerts/itemCopies';
import type { CardBindings } from '../state/cardBindings';
import type { Binding } from './boundRow';
import { acceptedMs } from './eventRetention';
import { bindPostedCopy } from './postedCard';

export interface PostedAlertDeps {
  readonly alerts: Pick<AlertStore, 'get'>;
  readonly bindings: CardBindings;
  readonly copies: Pick<ItemCopies, 'add'>;
  readonly logger: Logger;
}

/** 'unbound' when the binding could not be stored (the worker then keeps the row: boundRow.ts). */
export async function bindPostedAlert(
  deps: PostedAlertDeps,
  record: DeliveryRecord,
  activityId: string,
  known?: StoredAlert,
): Promise<Binding> {
  const { channelId } = record;
  let alert: StoredAlert | null | undefined;
  try {
    alert = known ?? (await deps.alerts.get(record.eventId));
  } catch (e) {
    deps.logger.error(
      { err: e, event: 'alerts.bind.failed', deliveryId: record.deliveryId },
      'the posted alert could not be bound to its item',
    );
    return 'unbound';
  }
  const item = alert?.item;
  if (!item) return 'bound'; // an alert without buttons: nothing to bind
  return bindPostedCopy(
    deps,
    item,
    { conversationId: channelId, activityId, channelId },
    { prefix: 'alerts', fields: { deliveryId: record.deliveryId }, what: 'posted alert' },
    acceptedMs(alert?.acceptedAt),
    alert?.about,
  );
}
