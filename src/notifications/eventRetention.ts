// How long the bot remembers a notification event once nothing is left to do for it.
//
// Every accepted event has a record `event:{id}`: GET /api/notifications/{eventId} answers from it,
// and the same eventId posted again is a duplicate because of it. Kept for ever, the state would
// grow by one record per event (rows in the SQLite file, blobs on Azure). So the write that
// finishes an event (its outcome, or its publication to a category's channels) gives the record a
// TTL, and the periodic sweep deletes it afterwards (SQLite and Azure both judge expiry on read and
// sweep, src/state/port.ts). An event still queued or under a send is written without one: it
// never expires.
//
// Why 30 days: a sender retries within minutes or hours (a Logic App's retry policy at most a
// day), so a retry is still answered "duplicate" and sends nothing twice; and a category event's
// channels are reported from fan-out records kept as long (FANOUT_TTL_MS), so its status outlives
// neither. After it the same eventId is a new event.

import { FANOUT_TTL_MS } from '../alerts/fanout';

/** 30 days after an event was delivered, found undeliverable or published, its record goes. */
export const EVENT_RETENTION_MS = FANOUT_TTL_MS;
