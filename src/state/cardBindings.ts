// Which items a posted card shows: written when the bot posts a card with buttons, read when a
// button is clicked, so a click may only act on an item its own card shows (forged or copied
// button data is refused before any Graph call).

import type { CardAbout } from '../domain/cardActionPorts';
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
  /** When what the card shows was formed (a notification's acceptance), ms since the epoch, as
   * its poster said at the first binding; absent when unknown (and in earlier releases' records). */
  readonly formedAt?: number;
  /** The revision of the kept state whose rows the card shows (a list card's page), when it was
   * bound from one (bindPage): a binding from an older revision never replaces it. */
  readonly rank?: number;
  /** What the card said its item was, as its poster rendered it at the first binding (a press's
   * answer keeps it); absent for a list card, and in earlier releases' records. */
  readonly about?: CardAbout;
}

const TTL_MS = 90 * 24 * 3600_000;

export class CardBindings {
  constructor(private readonly records: Records) {}

  private static keyOf(conversationId: string, activityId: string): string {
    return `card:${threadless(conversationId)}:${activityId}`;
  }

  /** Idempotent: binding a card again (a delivery row taken again) keeps the final word it was
   * given and the time its first binding named. `formedAt`: when what the card shows was formed
   * (the notification's acceptance), if known. A later binding never sets it: the card was posted
   * before, and a later time would pass a stale press for one on a card that showed the decision
   * (the double-click guard, cardAction.ts). `about`: what the card says its item is, kept as the
   * first binding gave it (the card posted then does not change). */
  async bind(
    conversationId: string,
    activityId: string,
    items: readonly BoundItem[],
    formedAt?: number,
    about?: CardAbout,
  ): Promise<void> {
    await this.write(conversationId, activityId, items, { formedAt, about });
  }

  /** Binds a card made from kept state that has a revision (a list card, whose pages turn) to the
   * rows it shows at revision `rank`. Two page turns at once keep the list and bind the card in any
   * order: a binding from an older revision than the one bound never replaces it, so the card is
   * bound to the page of the newest list, the one its edits for everyone end on
   * (bot/sharedCardEdits.ts). A binding that holds these rows at this revision or a newer one is
   * not written again (a row pressed binds its card's page afresh, bot/listRows.ts): a write once
   * per revision, not per press. False when a newer binding stayed. */
  async bindPage(
    conversationId: string,
    activityId: string,
    items: readonly BoundItem[],
    rank: number,
  ): Promise<boolean> {
    const bound = await this.write(conversationId, activityId, items, { rank });
    return (bound?.rank ?? 0) <= rank;
  }

  private async write(
    conversationId: string,
    activityId: string,
    items: readonly BoundItem[],
    { formedAt, rank, about }: { formedAt?: number; rank?: number; about?: CardAbout },
  ): Promise<BindingRecord | null> {
    return updateRecord<BindingRecord>(
      this.records,
      CardBindings.keyOf(conversationId, activityId),
      (cur) => {
        // Same rows at a newer revision are written once, to raise the rank: kept at the old rank,
        // an older revision's page (a page turn saved before but bound after) would replace them.
        if (
          rank !== undefined &&
          cur &&
          ((cur.rank ?? 0) > rank || (cur.rank !== undefined && cur.rank >= rank && sameItems(cur, items)))
        )
          return 'keep';
        const known = cur ? cur.formedAt : formedAt;
        const said = cur ? cur.about : about;
        return {
          next: {
            items: [...items],
            ...(cur?.settled ? { settled: cur.settled } : {}),
            ...(typeof known === 'number' && Number.isFinite(known) ? { formedAt: known } : {}),
            ...(rank !== undefined ? { rank } : {}),
            ...(said ? { about: said } : {}),
          },
        };
      },
      { ttlMs: TTL_MS },
    );
  }

  /** The items the card shows, or null when the bot never posted this card (or forgot it). */
  async itemsOf(conversationId: string, activityId: string): Promise<readonly BoundItem[] | null> {
    return (await this.cardOf(conversationId, activityId))?.items ?? null;
  }

  /** The items the card shows, its final word if it has one, and when what it shows was formed
   * (if known); null for a card the bot never posted. */
  async cardOf(
    conversationId: string,
    activityId: string,
  ): Promise<{
    readonly items: readonly BoundItem[];
    readonly settled: SettledCard | null;
    readonly formedAt?: number;
    readonly about?: CardAbout;
  } | null> {
    const entry = await this.records.get<BindingRecord>(CardBindings.keyOf(conversationId, activityId));
    if (!entry) return null;
    const { items, settled, formedAt, about } = entry.value;
    return {
      items,
      settled: settled ?? null,
      ...(typeof formedAt === 'number' ? { formedAt } : {}),
      ...(typeof about?.line === 'string' && about.line !== '' ? { about } : {}),
    };
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

/** Does the binding hold exactly `items`? A list card bound again to the rows it is bound to (a
 * row pressed on a page already bound, a row decided since) needs no write. */
function sameItems(cur: BindingRecord, items: readonly BoundItem[]): boolean {
  const key = (i: BoundItem) => JSON.stringify([i.operation, Object.entries(i.ids).sort()]);
  return cur.items.length === items.length && cur.items.every((i, n) => key(i) === key(items[n]!));
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
