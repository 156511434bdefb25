// Accepted notification events, on the state port: one record per event under `event:{id}` and
// one outbox row per event waiting for delivery (the row's lease is what makes one instance, and
// only one, deliver it).
//
// Order of the two writes: the record first, then the outbox row, and `accept` resolves (so the
// intake answers 202) only after both are stored. A crash between the two leaves a record with no
// row, but then no 202 was sent, so the caller sends the event again; that duplicate finds the
// record still queued and enqueues the row (a no-op when the row exists). So an accepted event
// always has its row. The other order would be worse: a row whose record is not written yet could
// be leased and dropped as "no such event". A row is never a reason to send twice either: the
// worker sends only while the record is queued and writes the outcome before completing the row.

import { StatePort, StateUnavailableError, WorkQueue } from '../state/port';
import { updateRecord } from '../state/update';
import { NotificationEvent } from './events';
import { DeliveryOutcome, EventRecord } from './records';

export type { DeliveryState, EventRecord } from './records';

const keyOf = (eventId: string): string => `event:${eventId}`;

/** Runs a store call so that every failure is a StateUnavailableError (the intake answers 503). */
async function stored<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof StateUnavailableError) throw e;
    throw new StateUnavailableError(`notification store: ${what} failed`, { cause: e });
  }
}

export class NotificationStore {
  readonly outbox: WorkQueue<{ readonly eventId: string }>;

  constructor(private readonly state: Pick<StatePort, 'records' | 'outbox'>) {
    this.outbox = state.outbox;
  }

  /** Idempotent: the same eventId twice is stored once. Resolves only when the record and its
   * outbox row are both stored; throws StateUnavailableError when they cannot be. */
  async accept(event: NotificationEvent, now: Date = new Date()): Promise<'created' | 'duplicate'> {
    return stored('accept', async () => {
      const record: EventRecord = { event, state: 'queued', acceptedAt: now.toISOString(), attempts: 0 };
      const created = (await this.state.records.create(keyOf(event.eventId), record)) !== null;
      if (!created) {
        const existing = await this.state.records.get<EventRecord>(keyOf(event.eventId));
        // A record without its row (a crash between the two writes): this duplicate repairs it.
        if (existing?.value.state === 'queued') await this.outbox.enqueue(event.eventId, { eventId: event.eventId });
        return 'duplicate';
      }
      await this.outbox.enqueue(event.eventId, { eventId: event.eventId });
      return 'created';
    });
  }

  async get(eventId: string): Promise<EventRecord | null> {
    return stored('read', async () => (await this.state.records.get<EventRecord>(keyOf(eventId)))?.value ?? null);
  }

  /** Counts one more send tried, while the event is still queued. */
  async countAttempt(eventId: string, attempts: number): Promise<void> {
    await stored('update', () =>
      updateRecord<EventRecord>(this.state.records, keyOf(eventId), (current) =>
        current?.state === 'queued' ? { next: { ...current, attempts } } : 'keep',
      ),
    );
  }

  /** Writes how the delivery ended, only over a record that is still queued (compare-and-swap on
   * its version): true when this call settled it, false when it was settled already or is gone. */
  async finish(eventId: string, outcome: DeliveryOutcome, attempts: number): Promise<boolean> {
    let settled = false;
    await stored('update', () =>
      updateRecord<EventRecord>(this.state.records, keyOf(eventId), (current) => {
        settled = false;
        if (current?.state !== 'queued') return 'keep';
        settled = true;
        const { event, acceptedAt } = current;
        return { next: { event, acceptedAt, attempts, ...outcome } };
      }),
    );
    return settled;
  }
}
