// A duplicate whose body names another event than the one first accepted under its eventId: the
// same eventId is answered 202 "duplicate" and stores nothing (README, POST /api/notifications), so
// a sender that gave a second event an id already used (the same id for a request and for its
// approval, say) would lose that event with no word of it. Its answer's `notices` say so.

import type { NotificationEvent } from './events';

/** What a stored event tells of itself; records of earlier releases may lack any of it. */
export interface StoredIdentity {
  readonly kind?: string;
  readonly target?: unknown;
  readonly item?: { readonly ids?: Readonly<Record<string, unknown>> };
}

/** Compared without regard to case: ids are GUIDs, which earlier releases may have kept as sent. */
const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a ?? null).toLowerCase() === JSON.stringify(b ?? null).toLowerCase();

/** The notice for a duplicate whose `sent` body differs from the `stored` event in its kind, its
 * target or the ids its buttons act on (what decides where the card goes and what it does), or
 * none. Only what the stored event holds is compared. */
export function otherEventNotices(stored: StoredIdentity | undefined, sent: NotificationEvent): string[] {
  if (!stored) return [];
  const differ: string[] = [];
  if (stored.kind !== undefined && stored.kind !== sent.kind) differ.push('kind');
  if (stored.target !== undefined && !same(stored.target, sent.target)) differ.push('target');
  const ids = stored.item?.ids;
  if (ids && stored.kind === sent.kind) {
    const sentIds: Readonly<Record<string, unknown>> = sent.item.ids;
    for (const name of Object.keys(sentIds)) if (!same(ids[name], sentIds[name])) differ.push(name);
  }
  if (differ.length === 0) return [];
  return [
    `eventId ${sent.eventId} was first accepted for another event (it differs in ${differ.join(', ')}): ` +
      'this one was not stored and will not be sent; give each event its own eventId.',
  ];
}
