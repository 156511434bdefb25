// Accepted notification events, on the state port: one record per event under `event:{id}` and
// one outbox row per event waiting for delivery.
//
// Order of the two writes: the record first, then the outbox row, and `accept` resolves (so the
// intake answers 202) only after both are stored. A crash between the two leaves a record with no
// row, but then no 202 was sent, so the caller sends the event again; that duplicate finds the
// record queued without the mark that its row was stored, and enqueues the row. So an accepted
// event always has its row. The other order would be worse: a row whose record is not written yet
// could be leased and dropped as "no such event".
//
// A row is never a reason to send twice: Azure Queue Storage keeps two messages for one id
// (https://learn.microsoft.com/rest/api/storageservices/put-message), and a lease can run out
// while its holder is still working. So the worker sends only under a claim on the record, taken
// by compare-and-swap while the record is queued and no one else's claim is live, and writes the
// outcome before completing the row.

import { StatePort, StateUnavailableError, WorkQueue } from '../state/port';
import { updateRecord } from '../state/update';
import { NotificationEvent } from './events';
import { claimOf, ClaimResult, DeliveryOutcome, EventRecord, withoutClaim } from './records';

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
      const key = keyOf(event.eventId);
      const record: EventRecord = { event, state: 'queued', acceptedAt: now.toISOString(), attempts: 0 };
      const created = await this.state.records.create(key, record);
      if (created === null) {
        const existing = await this.state.records.get<EventRecord>(key);
        // A record without its row (a crash between the two writes): this duplicate repairs it.
        if (existing?.value.state === 'queued' && !existing.value.enqueued) await this.enqueue(event.eventId);
        return 'duplicate';
      }
      await this.outbox.enqueue(event.eventId, { eventId: event.eventId });
      // The mark, at the version just created (one write); a record changed meanwhile (its send
      // already claimed) is marked by compare-and-swap. See enqueue() for why a failure is ignored.
      const marked = await this.state.records
        .replace(key, { ...record, enqueued: true }, created)
        .catch(() => 'failed' as const);
      if (marked === null) await this.markEnqueued(event.eventId).catch(() => undefined);
      return 'created';
    });
  }

  /** Queues the event's row and marks the record, so the same event posted again queues no second
   * row (a second message on Azure). */
  private async enqueue(eventId: string): Promise<void> {
    await this.outbox.enqueue(eventId, { eventId });
    // Without the mark a later duplicate queues one more row, which the send claim makes harmless:
    // failing to write it is no reason to refuse an event that is stored with its row.
    await this.markEnqueued(eventId).catch(() => undefined);
  }

  private async markEnqueued(eventId: string): Promise<void> {
    await updateRecord<EventRecord>(this.state.records, keyOf(eventId), (current) =>
      current?.state === 'queued' && !current.enqueued ? { next: { ...current, enqueued: true } } : 'keep',
    );
  }

  async get(eventId: string): Promise<EventRecord | null> {
    return stored('read', async () => (await this.state.records.get<EventRecord>(keyOf(eventId)))?.value ?? null);
  }

  /** Claims the send of the event for `holder` until `now + claimMs`, while it is queued, no
   * Retry-After is being waited out and no other holder's claim is live. */
  async claim(eventId: string, holder: string, now: number, claimMs: number): Promise<ClaimResult> {
    let result: ClaimResult = { kind: 'done' };
    await stored('update', () =>
      updateRecord<EventRecord>(this.state.records, keyOf(eventId), (current) => {
        const decision = claimOf(current, holder, now, claimMs);
        result = decision.result;
        return decision.next ? { next: decision.next } : 'keep';
      }),
    );
    return result;
  }

  /** Ends `holder`'s claim with no outcome (a send cut short by shutdown). */
  async unclaim(eventId: string, holder: string): Promise<void> {
    await stored('update', () =>
      updateRecord<EventRecord>(this.state.records, keyOf(eventId), (current) =>
        current?.sending?.holder === holder ? { next: withoutClaim(current, holder) } : 'keep',
      ),
    );
  }

  /** Counts one more send tried and records when the next may be, while the event is still
   * queued, ending `holder`'s claim. */
  async retryLater(eventId: string, holder: string, attempts: number, notBefore: number): Promise<void> {
    await stored('update', () =>
      updateRecord<EventRecord>(this.state.records, keyOf(eventId), (current) =>
        current?.state === 'queued'
          ? {
              next: {
                ...withoutClaim(current, holder),
                attempts: Math.max(current.attempts, attempts),
                notBefore: Math.max(current.notBefore ?? 0, notBefore),
              },
            }
          : 'keep',
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
