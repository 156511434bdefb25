// A category event whose fan-out was given up before any channel was planned (poisonAlertRow.ts):
// no channel reports it, so its own record (of that acceptance, published, not settled otherwise)
// is written undeliverable, which GET then reports.

import { UnplannedEvent } from './poisonAlertRow';
import { NotificationStore } from './store';

export function unplannedEventWriter(store: NotificationStore, now: () => number): UnplannedEvent {
  return async (eventId, acceptedAt, reason) => {
    const record = await store.get(eventId).catch(() => null);
    if (!record || record.state !== 'queued' || record.publishedAt === undefined) return false;
    if (acceptedAt !== undefined && record.acceptedAt !== acceptedAt) return false;
    return store.finish(eventId, { state: 'undeliverable', reason }, record.attempts, now());
  };
}
