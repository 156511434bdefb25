// The revision of a channel's settings record: it rises with each write of the record, so of two
// settings cards made from it, the one made from the higher revision shows the newer settings,
// whichever instance made it first (bot/alertSave.ts orders the card's edits by it). A record made
// from nothing (the first, or one written again after the channel was forgotten) starts at the
// time of writing, not at 1: a card made from the forgotten record, still in a card's edit log,
// must not outrank the new record's cards. An older record with no revision counts as 0.

export interface Revised {
  readonly revision?: number;
}

/** The revision a write of the record `cur` gives it, at `now` (epoch ms). */
export const revisionAfter = (cur: Revised | null | undefined, now: number): number =>
  cur?.revision !== undefined ? cur.revision + 1 : now;
