// Which items a posted card shows: written when the bot posts a card with buttons, read when a
// button is clicked, so a click may only act on an item its own card shows (forged or copied
// button data is refused before any Graph call).

import { Records } from './port';

/** An item as a card shows it: the operation and its ids (a catalog Target without the decision). */
export interface BoundItem {
  readonly operation: string;
  readonly ids: Readonly<Record<string, string>>;
}

const TTL_MS = 90 * 24 * 3600_000;

export class CardBindings {
  constructor(private readonly records: Records) {}

  private static keyOf(conversationId: string, activityId: string): string {
    return `card:${threadless(conversationId)}:${activityId}`;
  }

  async bind(conversationId: string, activityId: string, items: readonly BoundItem[]): Promise<void> {
    await this.records.put(CardBindings.keyOf(conversationId, activityId), { items }, { ttlMs: TTL_MS });
  }

  /** The items the card shows, or null when the bot never posted this card (or forgot it). */
  async itemsOf(conversationId: string, activityId: string): Promise<readonly BoundItem[] | null> {
    const entry = await this.records.get<{ items: BoundItem[] }>(CardBindings.keyOf(conversationId, activityId));
    return entry?.value.items ?? null;
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
