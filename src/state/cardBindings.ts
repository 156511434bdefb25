// Which items a posted card shows: written when the bot posts a card with buttons, read when a
// button is clicked, so a click may only act on an item its own card shows (forged or copied
// button data is refused before any Graph call).

import { Records } from './port';
import { updateRecord } from './update';

/** An item as a card shows it: the operation and its ids (a catalog Target without the decision). */
export interface BoundItem {
  readonly operation: string;
  readonly ids: Readonly<Record<string, string>>;
}

/** The final word a card was given for everyone. */
export interface SettledCard {
  readonly text: string;
  readonly style: 'good' | 'warning';
}

interface BindingRecord {
  readonly items: BoundItem[];
  /** Set once a click gave the card its final word: a later click (a stale client) is shown it. */
  readonly settled?: SettledCard;
  /** When the card was first bound (just after it was posted), ms since the epoch; absent in
   * records of earlier releases. */
  readonly boundAt?: number;
}

const TTL_MS = 90 * 24 * 3600_000;

export class CardBindings {
  constructor(
    private readonly records: Records,
    private readonly now: () => number = Date.now,
  ) {}

  private static keyOf(conversationId: string, activityId: string): string {
    return `card:${threadless(conversationId)}:${activityId}`;
  }

  /** Idempotent: binding a card again (a delivery row taken again) keeps the final word it was given. */
  async bind(conversationId: string, activityId: string, items: readonly BoundItem[]): Promise<void> {
    await updateRecord<BindingRecord>(
      this.records,
      CardBindings.keyOf(conversationId, activityId),
      (cur) => ({
        next: {
          items: [...items],
          ...(cur?.settled ? { settled: cur.settled } : {}),
          // The first binding's time only: a card bound again (or by an earlier release, with no
          // time) was posted before now, and a later time would pass a stale press as seen.
          ...(!cur ? { boundAt: this.now() } : cur.boundAt !== undefined ? { boundAt: cur.boundAt } : {}),
        },
      }),
      { ttlMs: TTL_MS },
    );
  }

  /** The items the card shows, or null when the bot never posted this card (or forgot it). */
  async itemsOf(conversationId: string, activityId: string): Promise<readonly BoundItem[] | null> {
    return (await this.cardOf(conversationId, activityId))?.items ?? null;
  }

  /** The items the card shows, its final word if it has one, and when it was bound (if known);
   * null for a card the bot never posted. */
  async cardOf(
    conversationId: string,
    activityId: string,
  ): Promise<{
    readonly items: readonly BoundItem[];
    readonly settled: SettledCard | null;
    readonly boundAt?: number;
  } | null> {
    const entry = await this.records.get<BindingRecord>(CardBindings.keyOf(conversationId, activityId));
    if (!entry) return null;
    const { items, settled, boundAt } = entry.value;
    return { items, settled: settled ?? null, ...(typeof boundAt === 'number' ? { boundAt } : {}) };
  }

  /** Records the final word the card now shows everyone (a card the bot never bound stays unbound). */
  async settle(conversationId: string, activityId: string, settled: SettledCard): Promise<void> {
    await updateRecord<BindingRecord>(
      this.records,
      CardBindings.keyOf(conversationId, activityId),
      (cur) => (cur ? { next: { ...cur, settled } } : 'keep'),
      { ttlMs: TTL_MS },
    );
  }
}

/**
 * A click on a card in a channel thread arrives with the thread in its conversation id
 * (`19:…@thread.tacv2;messageid=<root>`), while the card was posted to the channel itself: both
 * name the same conversation for a binding.
 * https://learn.microsoft.com/dotnet/api/microsoft.teams.core.schema.conversationextensions.tothreadedconversationid
 */
export function threadless(conversationId: string): string {
  return conversationId.replace(/;messageid=[^;]*$/i, '');
}
