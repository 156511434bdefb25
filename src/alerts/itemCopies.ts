// Which posted cards show an item, across every channel and personal chat: when a click anywhere
// settles the item, every copy is updated (updateActivity on each), not only the clicked one.
// Written when an alert or a notification is recorded as delivered; read after a settled click. CardBindings
// (src/state/cardBindings.ts) answers the opposite question: which items one card shows.

import { Records } from '../state/port';
import { updateRecord } from '../state/update';

export interface ItemRef {
  readonly operation: string;
  readonly ids: Readonly<Record<string, string>>;
}

export interface CardCopy {
  readonly conversationId: string;
  readonly activityId: string;
  /** A copy posted in a channel (its thread is conversationId). */
  readonly channelId?: string;
  /** A copy posted in a user's personal chat with the bot: whose (Entra object id). */
  readonly userId?: string;
}

/** At most this many copies are remembered per item (the oldest are dropped first). */
export const MAX_COPIES = 200;
const TTL_MS = 90 * 24 * 3_600_000;

/** A stable key for an item: its operation and its ids in name order, lower-cased. */
export function itemKeyOf(item: ItemRef): string {
  const ids = Object.keys(item.ids)
    .sort()
    .map((k) => (item.ids[k] ?? '').toLowerCase());
  return `${item.operation}:${ids.join(':')}`;
}

const copiesKey = (item: ItemRef) => `alerts:copies:${itemKeyOf(item)}`;

/** At most MAX_COPIES, dropping the oldest personal copies first: an item notified to many
 * approvers must not push out the ops channels' cards, which a team watches together. */
function withinCap(copies: CardCopy[]): CardCopy[] {
  const kept = [...copies];
  while (kept.length > MAX_COPIES) {
    const personal = kept.findIndex((c) => c.userId !== undefined);
    kept.splice(personal >= 0 ? personal : 0, 1);
  }
  return kept;
}

export class ItemCopies {
  constructor(private readonly records: Records) {}

  async add(item: ItemRef, copy: CardCopy): Promise<void> {
    await updateRecord<{ copies: CardCopy[] }>(
      this.records,
      copiesKey(item),
      (cur) => {
        const copies = cur?.copies ?? [];
        const same = (c: CardCopy) => c.conversationId === copy.conversationId && c.activityId === copy.activityId;
        if (copies.some(same)) return 'keep';
        return { next: { copies: withinCap([...copies, copy]) } };
      },
      { ttlMs: TTL_MS },
    );
  }

  async copiesOf(item: ItemRef): Promise<CardCopy[]> {
    return (await this.records.get<{ copies: CardCopy[] }>(copiesKey(item)))?.value.copies ?? [];
  }
}
