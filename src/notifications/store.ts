// Accepted notification events, on the state port: one record per event under `event:{id}` and
// one outbox row per event waiting for delivery.
//
// Order of the two writes: the record first, then the outbox row, and `accept` resolves (so the
// intake answers 202) only after both are stored and the record is marked so. The record is
// created saying its row is not yet stored (`enqueued: false`), with a short lifetime
// (ROW_PENDING_TTL_MS); the mark says the row is stored and takes the lifetime away (an event
// still queued never expires). Until the mark the event is not accepted: GET answers as for an
// unknown id and no row sends it. When the row or the mark cannot be stored, the record this call
// created is deleted before the intake answers 503; when that delete fails too (a full disk, a
// store outage), the record, still unmarked, expires and is swept, so what an answer of 503 left
// is never reported queued nor kept for ever. A mark whose answer was lost may have landed: the
// record is read back, and a marked one is answered 202 (the store holds it, and it will be sent);
// one that cannot be read is answered 503 (the README says such an event may still be delivered).
// A crash between the writes leaves an unmarked record too. The
// caller sends the event again; that duplicate finds the record unmarked, enqueues the row and
// answers 202 only once the mark is written. So an accepted event always has its row. The other
// order would be worse: a row whose record is not written yet could be leased and dropped as "no
// such event".
//
// A row is never a reason to send twice: Azure Queue Storage keeps two messages for one id
// (https://learn.microsoft.com/rest/api/storageservices/put-message), and a lease can run out
// while its holder is still working. So the worker sends only under a claim on the record, taken
// by compare-and-swap while the record is queued and no one else's claim is live, and writes the
// outcome before completing the row.

import { StatePort, StateUnavailableError, WorkQueue } from '../state/port';
import { updateRecord } from '../state/update';
import { EVENT_RETENTION_MS, ROW_PENDING_TTL_MS } from './eventRetention';
import { NotificationEvent } from './events';
import {
  claimOf,
  ClaimResult,
  DeliveryOutcome,
  EventRecord,
  isDone,
  renewalOf,
  RenewResult,
  rowPending,
  samePost,
  withoutClaim,
} from './records';

export type { DeliveryState, EventRecord } from './records';

const keyOf = (eventId: string): string => `event:${eventId}`;

/** A record of an accepted event still to be sent (queued, not published, its row marked
 * stored or written by a release before the mark), the only kind the writes of a send (claim,
 * renewal, claim given back, Retry-After) change. They write it with no expiry: a record the
 * earlier release's duplicate path marked keeps the short lifetime of an unmarked one (that mark
 * kept the expiry), and the first of these writes takes it away, so an accepted event is not swept
 * while it waits. A finished record keeps its retention: these writes leave it as it is. */
const waiting = (record: EventRecord): boolean => !isDone(record) && !rowPending(record);

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

  /** `state.now` stamps acceptances: later compared with the state's clock (the digest's day, a
   * posted card's age), which on Azure Storage is the storage's, not this machine's. */
  constructor(private readonly state: Pick<StatePort, 'records' | 'outbox'> & Partial<Pick<StatePort, 'now'>>) {
    this.outbox = state.outbox;
  }

  /** Idempotent: the same eventId twice is stored once. Resolves only when the record and its
   * outbox row are both stored; throws StateUnavailableError when they cannot be, and then leaves
   * nothing of this call behind. */
  async accept(
    event: NotificationEvent,
    now: Date = new Date(this.state.now?.() ?? Date.now()),
  ): Promise<'created' | 'duplicate'> {
    return stored('accept', async () => {
      const key = keyOf(event.eventId);
      const record: EventRecord = {
        event,
        state: 'queued',
        acceptedAt: now.toISOString(),
        attempts: 0,
        enqueued: false,
      };
      // A record can vanish under a duplicate: its creator deletes it when its row failed.
      for (let round = 0; round < 3; round++) {
        const created = await this.state.records.create(key, record, { ttlMs: ROW_PENDING_TTL_MS });
        if (created !== null) {
          await this.enqueueCreated(key, record, created);
          return 'created';
        }
        const existing = await this.state.records.get<EventRecord>(key);
        if (!existing) continue;
        if (isDone(existing.value) || existing.value.enqueued) return 'duplicate';
        // A record without its row (unmarked, or of an earlier release, which may have none): a
        // crash between the two writes, a POST answered 503 that could not delete it, or its
        // creator still at work (the same event posted twice at once). This duplicate queues the
        // row, then marks the record; only the mark keeps the record: a creator whose own row then
        // fails deletes the record at the version it created, which the mark has changed, and an
        // unmarked one expires. So no 202 without it (a duplicate posted again queues one more
        // row, which the send claim makes harmless).
        await this.outbox.enqueue(event.eventId, { eventId: event.eventId });
        // A mark that fails may have landed (its answer lost): the record read back decides.
        const mark = await this.markEnqueued(event.eventId).catch(async (e: unknown) => {
          if (await this.isAccepted(key)) return 'marked' as const;
          throw e;
        });
        if (mark === 'marked') return 'duplicate';
      }
      throw new StateUnavailableError('notification store: the event record kept vanishing');
    });
  }

  /** Queues the row of a record this call created, then marks the record so the event counts as
   * accepted and the same event posted again queues no second row (a second message on Azure). */
  private async enqueueCreated(key: string, record: EventRecord, version: string): Promise<void> {
    try {
      await this.outbox.enqueue(record.event.eventId, { eventId: record.event.eventId });
      // The mark at the version just created (one write); a record changed meanwhile (marked by a
      // duplicate) is marked by compare-and-swap.
      const marked = await this.state.records.replace(key, { ...record, enqueued: true }, version, 'none');
      // Not marked, and gone (expired under a POST that took longer than its lifetime): no 202.
      if (marked === null && (await this.markEnqueued(record.event.eventId)) === 'gone') {
        throw new StateUnavailableError('notification store: the event record expired before its row was marked');
      }
    } catch (e) {
      // The record goes, only at the version this call created: then nothing was accepted.
      if (await this.state.records.delete(key, version).catch(() => false)) throw e;
      // Not deleted: the record changed since (a mark that landed although its answer was lost, or
      // a duplicate's mark), or the delete failed. What the store holds decides: a marked record
      // has its row and will be sent, so it is accepted (202). Unmarked, gone, or unreadable: 503;
      // an unmarked record expires, and a row stored meanwhile waits for it and then finds nothing
      // to send. Unreadable, it may be marked, and then it is sent although this answer is 503.
      if (await this.isAccepted(key)) return;
      throw e;
    }
  }

  /** Does the record at `key` say its event is accepted (marked, or finished)? False when it is
   * not, is gone, or cannot be read. */
  private async isAccepted(key: string): Promise<boolean> {
    const now = await this.state.records.get<EventRecord>(key).catch(() => null);
    return now !== null && !rowPending(now.value);
  }

  /** Marks the record's row as stored, which ends the short lifetime of an unmarked record (a
   * queued event never expires): 'gone' when there is no record any more. */
  private async markEnqueued(eventId: string): Promise<'marked' | 'gone'> {
    const after = await updateRecord<EventRecord>(
      this.state.records,
      keyOf(eventId),
      (current) =>
        // A finished record needs no mark (its row is done with), and keeps its retention.
        current && !isDone(current) && !current.enqueued ? { next: { ...current, enqueued: true } } : 'keep',
      'none',
    );
    return after === null ? 'gone' : 'marked';
  }

  async get(eventId: string): Promise<EventRecord | null> {
    return stored('read', async () => (await this.state.records.get<EventRecord>(keyOf(eventId)))?.value ?? null);
  }

  /** Claims the send of the event for `holder` until `now + claimMs`, while it is queued, no
   * Retry-After is being waited out and no other holder's claim is live. */
  async claim(eventId: string, holder: string, now: number, claimMs: number): Promise<ClaimResult> {
    let result: ClaimResult = { kind: 'done' };
    await stored('update', () =>
      updateRecord<EventRecord>(
        this.state.records,
        keyOf(eventId),
        (current) => {
          const decision = claimOf(current, holder, now, claimMs);
          result = decision.result;
          return decision.next ? { next: decision.next } : 'keep';
        },
        // Only a waiting record is claimed (claimOf): it never expires (`waiting` above).
        'none',
      ),
    );
    return result;
  }

  /** Renews `holder`'s claim until `now + claimMs` while it is still this holder's (renewalOf). */
  async renewClaim(eventId: string, holder: string, now: number, claimMs: number): Promise<RenewResult> {
    let result: RenewResult = 'done';
    await stored('update', () =>
      updateRecord<EventRecord>(
        this.state.records,
        keyOf(eventId),
        (current) => {
          const decision = renewalOf(current, holder, now, claimMs);
          result = decision.result;
          return decision.next ? { next: decision.next } : 'keep';
        },
        // Renewed only while unfinished and this holder's, so marked (claimOf claims no other).
        'none',
      ),
    );
    return result;
  }

  /** Ends `holder`'s claim with no outcome (a send cut short by shutdown). */
  async unclaim(eventId: string, holder: string): Promise<void> {
    await stored('update', () =>
      updateRecord<EventRecord>(
        this.state.records,
        keyOf(eventId),
        // A waiting record is written with no expiry (an earlier release's mark may have left its
        // short one); a finished record's claim ends too, but it keeps its retention.
        (current) =>
          current && (waiting(current) || isDone(current)) && current.sending?.holder === holder
            ? { next: withoutClaim(current, holder), expiry: waiting(current) ? 'none' : 'keep' }
            : 'keep',
        'none',
      ),
    );
  }

  /** Counts one more send tried and records when the next may be, while the event is still
   * queued, ending `holder`'s claim. */
  async retryLater(eventId: string, holder: string, attempts: number, notBefore: number): Promise<void> {
    await stored('update', () =>
      updateRecord<EventRecord>(
        this.state.records,
        keyOf(eventId),
        (current) =>
          current && waiting(current)
            ? {
                next: {
                  ...withoutClaim(current, holder),
                  attempts: Math.max(current.attempts, attempts),
                  notBefore: Math.max(current.notBefore ?? 0, notBefore),
                },
              }
            : 'keep',
        'none',
      ),
    );
  }

  /** Marks a category event published (its fan-out queued), ending `holder`'s claim. */
  async published(eventId: string, holder: string, at: Date): Promise<void> {
    await stored('update', () =>
      updateRecord<EventRecord>(
        this.state.records,
        keyOf(eventId),
        (current) =>
          current && !isDone(current)
            ? { next: { ...withoutClaim(current, holder), publishedAt: at.toISOString() } }
            : 'keep',
        { ttlMs: EVENT_RETENTION_MS },
      ),
    );
  }

  /** Writes how the delivery ended (at `at`, epoch ms), only over a record still queued (by
   * compare-and-swap): true when this call settled it, false when it was settled already or is
   * gone. A record that already holds this very post (its message id) was settled by an earlier
   * write of it whose answer was lost: true too, so the delivery is told once (no other writer
   * knows that id). `attempts` is the caller's count of sends up to its own; the record's is kept
   * when larger (as retryLater does): a remembered post written after another holder took the
   * expired claim over (counting this send) and tried one more carries the smaller count. With
   * `holder` (an outcome of no send), written only while the claim is still that holder's. */
  async finish(id: string, outcome: DeliveryOutcome, attempts: number, at?: number, holder?: string): Promise<boolean> {
    let settled = false;
    await stored('update', () =>
      updateRecord<EventRecord>(
        this.state.records,
        keyOf(id),
        (current) => {
          settled = false;
          if (current?.state !== 'queued') {
            settled = current !== null && samePost(current, outcome);
            return 'keep';
          }
          if (holder !== undefined && current.sending?.holder !== holder) return 'keep';
          settled = true;
          const { event, acceptedAt } = current;
          const tried = Math.max(current.attempts, attempts);
          return {
            next: { event, acceptedAt, attempts: tried, ...outcome, ...(at !== undefined ? { settledAt: at } : {}) },
          };
        },
        { ttlMs: EVENT_RETENTION_MS },
      ),
    );
    return settled;
  }
}
