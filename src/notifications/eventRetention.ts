// How long the bot remembers a notification event once nothing is left to do for it.
//
// Every accepted event has a record `event:{id}`: GET /api/notifications/{eventId} answers from it,
// and the same eventId posted again is a duplicate because of it. Kept for ever, the state would
// grow by one record per event (rows in the SQLite file, blobs on Azure). So the write that
// finishes an event (its outcome, or its publication to a category's channels) gives the record a
// TTL, and the periodic sweep deletes it afterwards (SQLite and Azure both judge expiry on read and
// sweep, src/state/port.ts). A record is created with a short lifetime (ROW_PENDING_TTL_MS) while
// its outbox row is not yet stored: what a POST answered 503 left goes soon. The mark that the row
// is stored writes it without one: an event still queued or under a send never expires. The writes
// in between (a send claimed or given back, a Retry-After noted) change only a record still waiting
// to be sent, and write it without an expiry too: the release before the mark took the lifetime
// away marked such a record keeping it, and the first send claimed heals it. A finished record
// they leave as it is, so it keeps its retention.
//
// Why 30 days: a sender retries within minutes or hours (a Logic App's retry policy at most a
// day), so a retry is still answered "duplicate" and sends nothing twice. After it the same eventId
// is a new event.
//
// A category event also has alert records (its stored alert, its fan-out plan, one delivery per
// channel), which GET reads for its channels. Each write of one gives it FANOUT_TTL_MS again, a
// day more than the event record's retention, so they end no earlier than the record although the
// first of them is written just before it is marked published. They can therefore outlive the record: each is stamped with the acceptance it belongs
// to (the record's acceptedAt), and a later acceptance of the same eventId replaces them instead of
// finding its channels already delivered.

const DAY_MS = 24 * 3_600_000;

/** 30 days after an event was delivered, found undeliverable or published, its record goes. */
export const EVENT_RETENTION_MS = 30 * DAY_MS;

/** How long a record lives while it says its outbox row is not yet stored (a POST between its two
 * writes): far longer than a POST takes (each store call has a deadline of seconds), short enough
 * that a record whose row never came (its POST answered 503 and could not delete it) goes soon. The
 * mark that its row is stored makes it an event that waits without an expiry. */
export const ROW_PENDING_TTL_MS = 15 * 60_000;

/** How long after its last write an alert record (the stored alert, the fan-out plan, a channel
 * delivery) is kept: the status endpoint reads them. */
export const FANOUT_TTL_MS = EVENT_RETENTION_MS + DAY_MS;

/** Was a record stamped `stamp` (written at `writtenAt`, epoch ms) written for an earlier acceptance
 * of its event than the one accepted at `acceptedAt`? Never for an alert that has no acceptance
 * (an action's, a reminder, a digest). A record written before acceptances were stamped is judged
 * by its time: it was written before this acceptance. */
export function earlierAcceptance(
  stamp: string | undefined,
  writtenAt: number | undefined,
  acceptedAt: string | undefined,
): boolean {
  if (acceptedAt === undefined || stamp === acceptedAt) return false;
  const accepted = Date.parse(acceptedAt);
  if (stamp !== undefined) return Date.parse(stamp) < accepted;
  return writtenAt !== undefined && writtenAt < accepted;
}

/** An acceptance time (a record's ISO `acceptedAt`) in epoch ms, or undefined when unreadable. */
export function acceptedMs(acceptedAt: string | undefined): number | undefined {
  const at = acceptedAt === undefined ? NaN : Date.parse(acceptedAt);
  return Number.isFinite(at) ? at : undefined;
}
