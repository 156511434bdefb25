// The newest edit for everyone of each posted card, shared by every instance. Instances edit one
// card in any order (a stage decided on one, the next on another, a late outcome): each edit is
// recorded here first and takes the next version, and whoever sends sends the newest recorded
// card, so the card everyone ends up seeing is the newest whichever instance's update reaches
// Teams last (bot/sharedCardEdits.ts). A final card (its buttons gone) is never followed by one
// with buttons: once a card is settled, an edit still on its way from before cannot undo it. A card
// made from state that has a revision (a list card, made when its edit is sent) is recorded with
// that revision as its rank: a card made from older state, recorded after a newer one, does not
// replace it, whatever order the instances record in.

import { threadless } from './cardBindings';
import { Records } from './port';
import { updateRecord } from './update';

export interface CardEditRecord<C> {
  /** Grows by one with each edit recorded. */
  readonly version: number;
  /** The card of the newest edit. */
  readonly card: C;
  /** Whether that card is final (settled: no buttons). */
  readonly final: boolean;
  /** The newest version Teams is known to have taken (0: none yet). */
  readonly shown: number;
  /** The rank the card was recorded with (absent: none given, as 0). */
  readonly rank?: number;
}

/** Edits race for seconds, not days: the record outlives them by far and is swept after. */
const TTL_MS = 24 * 3600_000;

export class CardEditLog<C> {
  constructor(private readonly records: Records) {}

  private static keyOf(conversationId: string, activityId: string): string {
    return `cardEdit:${threadless(conversationId)}:${activityId}`;
  }

  /** Records `card` as the card's newest edit: the version it took, or the version of the card that
   * stays (`card` is not final and came after one that is, or its `rank` is below the stored one). */
  async record(conversationId: string, activityId: string, card: C, final: boolean, rank?: number): Promise<number> {
    const now = await updateRecord<CardEditRecord<C>>(
      this.records,
      CardEditLog.keyOf(conversationId, activityId),
      (cur) => {
        if (cur?.final && !final) return 'keep';
        if ((cur?.rank ?? 0) > (rank ?? 0)) return 'keep';
        const ranked = rank !== undefined ? { rank } : {};
        return { next: { version: (cur?.version ?? 0) + 1, card, final, shown: cur?.shown ?? 0, ...ranked } };
      },
      { ttlMs: TTL_MS },
    );
    if (!now) throw new Error('The card edit could not be recorded.');
    return now.version;
  }

  /** The newest edit recorded, or null (none, or forgotten). */
  async newest(conversationId: string, activityId: string): Promise<CardEditRecord<C> | null> {
    return (await this.records.get<CardEditRecord<C>>(CardEditLog.keyOf(conversationId, activityId)))?.value ?? null;
  }

  /** Notes that Teams took `version` (a newer one noted stays): the record as it is now, newer
   * edits recorded meanwhile included. */
  async shown(conversationId: string, activityId: string, version: number): Promise<CardEditRecord<C> | null> {
    return updateRecord<CardEditRecord<C>>(
      this.records,
      CardEditLog.keyOf(conversationId, activityId),
      (cur) => (cur && cur.shown < version ? { next: { ...cur, shown: version } } : 'keep'),
      'keep',
    );
  }
}
