// The outbox row of an event that has no record: nothing to send, so the row goes. A POST answered
// 503 leaves such a row behind (it deleted its record: nothing accepted), and the sender then sends
// the event again. On SQLite the outbox keeps one row per id, so that second POST's own row is the
// one left behind (queueing it again changes nothing): a worker that read "no record" just before
// the second POST created it, and removes the row just after, would leave an event answered 202
// with no row, queued for ever. So once the row is gone the record is read again, and an event
// accepted meanwhile gets its row back (on Azure a second message, which its send claim makes
// harmless).

import { isDone } from './records';
import { Row } from './sendClaim';
import { NotificationStore } from './store';

export async function endOrphanRow(store: NotificationStore, row: Row): Promise<void> {
  const eventId = row.payload.eventId;
  if (!(await store.outbox.complete(row))) return; // the lease was lost: its new holder decides
  const now = await store.get(eventId);
  // An unmarked record's POST may still mark it (its row then waits for the mark) or delete it
  // (the row then finds no record again): either way the row must be there.
  if (now && !isDone(now)) await store.outbox.enqueue(eventId, { eventId });
}
