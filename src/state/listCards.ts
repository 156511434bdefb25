// What a posted list card (my approvals, my requests) shows and where it continues: the rows
// fetched so far, the page on screen, each source's continuation and the outcome of each row
// acted on. Written when the bot posts the card, changed in place when a row is acted on or
// "more" is pressed; a continuation never travels in the card, so no one can point the bot's
// Graph reads elsewhere.

import type { WorkKind } from '../domain/myWork';
import { Records } from './port';
import { updateRecord } from './update';

const TTL_MS = 14 * 24 * 3600_000;

export interface RowOutcome {
  readonly text: string;
  readonly style: 'good' | 'warning';
}

/** The parts (kinds of request) of a list: those Graph answered every read of, and those one of
 * whose reads failed (the problems say why). */
export interface ReadParts {
  readonly read: readonly WorkKind[];
  readonly failed: readonly WorkKind[];
}

export interface ListSnapshot<Item> {
  readonly list: 'approvals' | 'requests';
  /** The user whose list it is (their token reads the next pages; only they press its buttons). */
  readonly userId: string;
  /** Their name as Teams gave it with the command, to tell others whose list it is; absent on
   * older records. */
  readonly userName?: string;
  readonly items: readonly Item[];
  /** Index of the first row on screen. */
  readonly offset: number;
  readonly next: Readonly<Record<string, string>>;
  readonly capped: readonly string[];
  /** Why some sources could not be read, in words. */
  readonly problems: readonly string[];
  /** Outcomes by request id (lower case). */
  readonly outcomes: Readonly<Record<string, RowOutcome>>;
  /** Which parts were read and which failed; absent on older records (their empty card cannot
   * name them). */
  readonly parts?: ReadParts;
  /** When the first page was read from Graph (ms since the epoch); absent on older records. */
  readonly readAt?: number;
  /** Rises by one with each change kept (a page turned, a row decided): the card made from a
   * higher revision is the newer, whichever instance made it first (bot/sharedCardEdits.ts).
   * Absent before the list is first kept, and on older records (as 0). */
  readonly revision?: number;
  /** The pages with no new row the last read from Graph followed when it stopped at its bound or
   * deadline with a next page still to read (the card says so); absent otherwise. */
  readonly emptyPages?: number;
}

export class ListCards<Item> {
  constructor(private readonly records: Records) {}

  private static keyOf(conversationId: string, activityId: string): string {
    return `list:${conversationId}:${activityId}`;
  }

  /** Keeps `snapshot` (a page turned, a list posted), with the outcomes of rows decided since it was
   * read: a page turn reads the list, then Graph, then keeps it, and a row decided meanwhile
   * (`settle`) must keep its outcome. Outcomes are only ever added, so the stored ones stay. Rows
   * are only ever added too (each page turn that reads Graph adds the next pages' rows): when the
   * kept list holds more rows than `snapshot` (another page turn at once read further and was kept
   * first), its rows, the links to Graph's next pages and what could not be read stay, and only
   * the page on screen is `snapshot`'s. Returns the list as kept, which the card shows. */
  async save(conversationId: string, activityId: string, snapshot: ListSnapshot<Item>): Promise<ListSnapshot<Item>> {
    const kept = await updateRecord<ListSnapshot<Item>>(
      this.records,
      ListCards.keyOf(conversationId, activityId),
      (current) => ({
        next: {
          ...snapshot,
          ...(current && current.items.length > snapshot.items.length ? readOf(current) : {}),
          outcomes: { ...snapshot.outcomes, ...current?.outcomes },
          revision: (current?.revision ?? 0) + 1,
        },
      }),
      { ttlMs: TTL_MS },
    );
    return kept ?? snapshot;
  }

  async get(conversationId: string, activityId: string): Promise<ListSnapshot<Item> | null> {
    return (await this.records.get<ListSnapshot<Item>>(ListCards.keyOf(conversationId, activityId)))?.value ?? null;
  }

  /** Records one row's outcome (two rows decided at once both keep theirs). */
  async settle(
    conversationId: string,
    activityId: string,
    requestId: string,
    outcome: RowOutcome,
  ): Promise<ListSnapshot<Item> | null> {
    return updateRecord<ListSnapshot<Item>>(
      this.records,
      ListCards.keyOf(conversationId, activityId),
      (current) =>
        current
          ? {
              next: {
                ...current,
                outcomes: { ...current.outcomes, [requestId.toLowerCase()]: outcome },
                revision: (current.revision ?? 0) + 1,
              },
            }
          : 'keep',
      { ttlMs: TTL_MS },
    );
  }
}

/** What a list's reads from Graph gave: its rows, where they go on, and what could not be read. */
function readOf<Item>(
  s: ListSnapshot<Item>,
): Pick<ListSnapshot<Item>, 'items' | 'next' | 'capped' | 'problems' | 'parts' | 'emptyPages'> {
  // What the read that went further said of Graph's empty pages goes with its rows (none: absent).
  return {
    items: s.items,
    next: s.next,
    capped: s.capped,
    problems: s.problems,
    parts: s.parts,
    emptyPages: s.emptyPages,
  };
}
