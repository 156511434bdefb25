// An intake event that names a category instead of a recipient (`"target": {"category": "…"}`):
// its card is stored as an alert and fanned out to every channel subscribed to the category. The
// daily digest counts it, an item that waits for a decision joins the digest's waiting list (and
// the reminders), and the item's title is remembered so later action alerts can name it.

import { ItemTitles } from '../alerts/actionAlerts';
import { AlertStore } from '../alerts/alertStore';
import { PIM_APPROVAL_LIFETIME_MS } from '../alerts/reminders';
import { DigestLog, dayOf } from '../alerts/digest';
import { DIGEST_HOUR_UTC } from '../alerts/periodic';
import { waitingKeyOf } from '../alerts/waitingKey';
import { acceptedMs } from './eventRetention';
import { NotificationEvent, givenTitle } from './events';
import { firstCharacters } from '../domain/characters';
import { OutboundCard } from './delivery';
import { aboutOf } from './postedCard';
import { TimedCard } from './timedCard';

/** Requests that wait for an approver, announced as the request or as its approval: they join the
 * waiting list (once per request); PIM ones lapse after 24 h. */
const WAITS: Partial<Record<NotificationEvent['kind'], { readonly lapsesAfterMs?: number }>> = {
  roleRequest: { lapsesAfterMs: PIM_APPROVAL_LIFETIME_MS },
  groupRequest: { lapsesAfterMs: PIM_APPROVAL_LIFETIME_MS },
  accessRequest: {},
  roleApproval: { lapsesAfterMs: PIM_APPROVAL_LIFETIME_MS },
  groupApproval: { lapsesAfterMs: PIM_APPROVAL_LIFETIME_MS },
  accessApproval: {},
};

/** When the intake accepted the event (the record's ISO time); `now` when unknown or unreadable. */
function acceptedMoment(acceptedAt: string | undefined, now: number): number {
  const at = acceptedMs(acceptedAt);
  return at === undefined ? now : Math.min(at, now);
}

/** The moment the digest counts an event on: when it was accepted (an event accepted at 23:59:59
 * and published after midnight belongs to the day that ended), unless that day's digest may have
 * gone out already (the outbox got to it after DIGEST_HOUR_UTC the next day, say after an outage):
 * then now, so it is in the next digest rather than in none. */
function countedAt(accepted: number, now: number): number {
  const digestDue = Date.parse(`${dayOf(accepted)}T00:00:00Z`) + (24 + DIGEST_HOUR_UTC) * 3_600_000;
  return now < digestDue ? accepted : now;
}

export class CategoryEvents {
  constructor(
    private readonly alerts: AlertStore,
    private readonly digest: DigestLog,
    private readonly titles: ItemTitles,
    private readonly now: () => number = Date.now,
  ) {}

  /** `acceptedAt` (ISO, from the event's record): when the intake accepted it, so the moment the
   * digest counts it on (countedAt) and since when it has waited. `ended`: the card each channel is
   * posted from the approval's moment on, when that is still ahead, or null when there is none
   * (timedCard.ts); not given, the alert is stored as the release before stored it. */
  readonly publish = async (
    event: NotificationEvent,
    card: OutboundCard,
    acceptedAt?: string,
    ended?: TimedCard['ended'],
  ): Promise<void> => {
    if (!('category' in event.target)) return;
    const category = event.target.category;
    const now = this.now();
    const accepted = acceptedMoment(acceptedAt, now);
    const item = { operation: event.item.operation, ids: event.item.ids };
    // An earlier release kept a blank title as written: it is no title (givenTitle). Without one,
    // the item is named by `about`, which stays true once it is decided (an action card quotes the
    // name after the decision; `text` says it still waits); events of earlier releases have none.
    const title = givenTitle(event.title) || event.about || event.text;
    await this.titles.remember(item.operation, item.ids, title);
    const waits = WAITS[event.kind];
    if (waits) {
      // PIM approvals lapse a fixed time after the request: counted from when it was made when the
      // event says (not later than its arrival: the sender's clock may run a little ahead), else
      // from its arrival. An access package event says when its approval lapses. A request that has
      // lapsed already is not added (withWaiting), and an item already waiting learns it lapsed.
      const created = event.requestCreatedAt;
      const since = created !== undefined ? Math.min(created, accepted) : accepted;
      const stated = event.approvalExpiresAt;
      const expiresAt = stated ?? (waits.lapsesAfterMs ? since + waits.lapsesAfterMs : undefined);
      await this.digest.waiting(
        {
          key: waitingKeyOf(item),
          category,
          title: firstCharacters(title, 200),
          since,
          ...(expiresAt !== undefined ? { expiresAt } : {}),
        },
        stated !== undefined || created !== undefined,
      );
    }
    // Counted before the fan-out is queued: a crash in between counts once more on the retry at
    // worst, never loses the alert.
    await this.digest.count(category, 'announced', countedAt(accepted, now));
    const about = aboutOf(event);
    await this.alerts.publish({
      eventId: event.eventId,
      category,
      card,
      item,
      ...(about ? { about } : {}),
      acceptedAt,
      ...(ended !== undefined ? { ended } : {}),
    });
  };
}
