// The one outbox row that carries the periodic pass (reminders, digest, sweep), whatever the number
// of starts and instances. Azure Queue Storage keeps every enqueue of an id as a new message, and
// the row is never completed (it is given back with a delay), so a row queued on every start piled
// up and ran the pass once per copy. Instead a record `alerts:tick` names the current row by a
// unique id and says when it last ran:
// - a start queues a row only when no row is named, or the named one has not run for a while (lost:
//   a crash between queueing and naming, a queue emptied), and names it unless another was named
//   meanwhile (the record is changed only by a conditional write, atomic on both stores);
// - a row that finds itself not named completes itself and runs nothing; one that finds no live
//   row named (none, or one silent too long) names itself, so the pass never stops for want of one.
// - the queue may hold two copies of the named row under its one id (Azure Queue Storage has no
//   de-duplication, and an enqueue whose answer was lost is sent again by the SDK): the first copy
//   to run is written down with the name, and the other then completes itself like any row not
//   named, rather than run the pass beside it and come back every period.
// At most one named row; any other runs nothing and is gone the first time it is leased.

import { randomUUID } from 'node:crypto';
import { Records, WorkQueue } from '../state/port';
import { updateRecord } from '../state/update';
import { TICK_ROW } from './alertStore';

interface TickRecord {
  /** The outbox row id of the one live periodic row. */
  readonly row: string;
  /** When that row last started or finished a pass (epoch ms). */
  readonly beatAt: number;
  /** Which copy of the row runs the pass (Lease.copy), once one has, where the queue tells them apart. */
  readonly copy?: string;
}

const TICK_KEY = 'alerts:tick';

export interface PeriodicRowOptions {
  readonly records: Records;
  readonly outbox: WorkQueue<{ readonly eventId: string }>;
  /** The pass's period. */
  readonly everyMs: number;
  /** A named row silent this long is taken for lost (well beyond a period and a long pass). */
  readonly silentMs?: number;
  readonly now?: () => number;
}

/** Is this outbox row id a periodic row (of this version or, `@alerts:tick` alone, an earlier one)? */
export function isPeriodicRow(id: string): boolean {
  return id === TICK_ROW || id.startsWith(`${TICK_ROW}:`);
}

export class PeriodicRow {
  private readonly now: () => number;
  private readonly silentMs: number;

  constructor(private readonly opts: PeriodicRowOptions) {
    this.now = opts.now ?? Date.now;
    this.silentMs = opts.silentMs ?? 3 * opts.everyMs;
  }

  /** On start: queues a row unless a live one is named. */
  async ensure(): Promise<void> {
    const current = (await this.opts.records.get<TickRecord>(TICK_KEY))?.value ?? null;
    if (this.live(current)) return;
    // Queued before it is named: a named row always exists (unless the queue lost it, and then it
    // falls silent and is replaced). A row queued here and not named completes itself.
    const row = `${TICK_ROW}:${randomUUID()}`;
    await this.opts.outbox.enqueue(row, { eventId: row });
    await updateRecord<TickRecord>(
      this.opts.records,
      TICK_KEY,
      (cur) => (this.live(cur) ? 'keep' : { next: { row, beatAt: this.now() } }),
      'none',
    );
  }

  /** The row `id` (its copy `copy`, Lease.copy) is about to run the pass, or has run it: true (and
   * its beat recorded) when it is the named row, or when no live row is named and it takes the
   * name; false when another row is named, or another copy of this one runs the pass. */
  async beat(id: string, copy?: string): Promise<boolean> {
    // A row of an earlier version (one id for every copy) never takes the name: it cannot be told apart.
    if (id === TICK_ROW) return false;
    let named = false;
    await updateRecord<TickRecord>(
      this.opts.records,
      TICK_KEY,
      (cur) => {
        const sameCopy = cur?.copy === undefined || copy === undefined || cur.copy === copy;
        named = (cur?.row === id && sameCopy) || !this.live(cur);
        return named ? { next: { row: id, beatAt: this.now(), ...(copy !== undefined ? { copy } : {}) } } : 'keep';
      },
      'none',
    );
    return named;
  }

  private live(record: TickRecord | null): record is TickRecord {
    return record !== null && this.now() - record.beatAt < this.silentMs;
  }
}
