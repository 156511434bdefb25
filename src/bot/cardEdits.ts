// The edits for everyone of a posted card, each made in a turn of its own after the turn that asked
// for it (Later). Each takes its place in line when it is asked for, not when its turn starts:
// background turns may start in any order, and the card everyone ends up seeing must be the one
// asked for last. The edits of one card run one after another; one whose turn starts after a newer
// one was shown is not shown (it would put the older card back). In this instance only: other
// instances still race, which edits that read the store when they are made keep short.

import { ConversationReference, TurnContext } from 'botbuilder';
import { Later } from './replies';

export interface CardEdit {
  /** Runs first, in line, even when the card it goes with is no longer the newest (a record). */
  readonly before?: () => Promise<void>;
  /** Replaces the card, in the background turn. */
  readonly show: (ctx: TurnContext) => Promise<void>;
}

/** One card's line: the last edit on its way, the places given and shown, the edits not over. */
interface Line {
  tail: Promise<void>;
  given: number;
  shown: number;
  open: number;
}

export class CardEdits {
  /** By conversation and card id; a line goes once none of its edits is waiting. */
  private readonly lines = new Map<string, Line>();

  /** Asks for `edit` of card `cardId` in `reference`'s conversation, after the turn (`later`). */
  request(later: Later, reference: Partial<ConversationReference>, cardId: string, edit: CardEdit): void {
    const key = `${reference.conversation?.id ?? ''}|${cardId}`;
    const line = this.lines.get(key) ?? { tail: Promise.resolve(), given: 0, shown: 0, open: 0 };
    this.lines.set(key, line);
    const place = ++line.given;
    line.open += 1;
    const over = () => {
      line.open -= 1;
      if (line.open === 0 && this.lines.get(key) === line) this.lines.delete(key);
    };
    // Released when the background turn is over, whether or not it ran (a turn that could not
    // start still leaves the line).
    void later(reference, async (c) => {
      const mine = line.tail
        .catch(() => undefined)
        .then(async () => {
          await edit.before?.();
          if (place < line.shown) return;
          line.shown = place;
          await edit.show(c);
        });
      line.tail = mine;
      await mine;
    }).then(over, over);
  }
}
