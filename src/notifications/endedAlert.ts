// The card from an approval's moment on, for a category alert stored without one.
// The release before the ended card was kept beside the alert (StoredAlert.ended) stored none, and a
// publish of the same acceptance keeps the row it finds (alertStore.ts), so after an upgrade a
// channel reached after the moment would still be offered Approve/Deny. The moment is also in the
// event's record, which outlives its alert's fan-out (eventRetention.ts): the card is rendered from
// that, for the same acceptance only (an event id accepted again is another event). An alert this
// release stores always says (`ended`, null when it has none), so only the earlier release's
// alerts cost a read at each channel's send.

import { StoredAlert } from '../alerts/alertStore';
import { operationOfKind } from '../domain/operations';
import { approvalMomentOf } from './approvalMoment';
import { RenderEvent } from './timedCard';
import { NotificationStore } from './store';

/** The ended card of an alert stored without one, or none. */
export type EndedOf = (alert: StoredAlert) => Promise<StoredAlert['ended']>;

/** Only these kinds have a moment (eventFields.ts, approvalMoment.ts), so no other alert costs a read. */
const STATING = new Set<string>(
  (['accessApproval', 'accessRequest', 'roleApproval', 'roleRequest', 'groupApproval', 'groupRequest'] as const).map(
    operationOfKind,
  ),
);

export function endedFromRecords(events: Pick<NotificationStore, 'get'>, render: RenderEvent): EndedOf {
  return async (alert) => {
    if (alert.acceptedAt === undefined || !alert.item || !STATING.has(alert.item.operation)) return undefined;
    const record = await events.get(alert.eventId);
    if (!record || record.acceptedAt !== alert.acceptedAt) return undefined;
    const at = approvalMomentOf(record.event);
    return at === undefined ? undefined : { at, card: render(record.event, at) };
  };
}

/** The alert as the send judges it: with its ended card, read when it was stored with no word of
 * one (by the release before). */
export async function withEnded(alert: StoredAlert | null, endedOf?: EndedOf): Promise<StoredAlert | null> {
  if (!alert || alert.ended !== undefined || !endedOf) return alert;
  const ended = await endedOf(alert);
  return ended ? { ...alert, ended } : alert;
}
