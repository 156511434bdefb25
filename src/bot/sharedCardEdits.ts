// The edits for everyone of a notification card, in order across instances. Every instance sharing
// the state store records each edit in the card's shared log (state/cardEditLog.ts) the moment it
// is asked for, in this instance's request order; the background turn then sends the newest card
// recorded, not necessarily its own. An update Teams takes after a newer one would put the older
// card back (the last update is what everyone sees:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages),
// so once an update is in, the sender reads the log again and sends the newest card again when one
// was recorded while its update was on its way: whichever update reaches Teams last, its sender
// then finds nothing newer, or sends it. Within this instance, edits still go one after another
// (cardEdits.ts). A card made from kept state (a list card, shown as its rows stand when the edit is
// sent) is made and recorded when it is sent, ranked by that state's revision: the order in which
// instances record such cards is not the order of the states they show, and the log keeps the card
// of the newest state.

import { ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { CardEditLog, CardEditRecord } from '../state/cardEditLog';
import { CardEdits } from './cardEdits';
import { Later, Reply, replaceCard } from './replies';

export interface SharedEdit {
  /** The card everyone should see. */
  readonly reply: Reply;
  /** Whether it is final (no buttons): a card with buttons never follows it. */
  readonly final: boolean;
  /** Runs first, in line, whether or not this edit's card is still the newest (a record). */
  readonly before?: () => Promise<void>;
  /** Told, once this edit's sends are over, whether Teams took the newest card (false: it refused
   * or did not answer); not told when the background turn could not start. */
  readonly taken?: (taken: boolean) => void;
}

/** A card made from kept state, and that state's revision (its rank in the card's log). */
export interface Made {
  readonly reply: Reply;
  readonly rank: number;
}

export interface MadeEdit {
  /** Makes the card from the state as kept when the edit is sent (null: nothing to show). */
  readonly make: () => Promise<Made | null>;
  /** Runs first, in line (a record the card made then shows). */
  readonly before?: () => Promise<void>;
  /** Told, once its sends are over, whether Teams took the newest card (as SharedEdit's). */
  readonly taken?: (taken: boolean) => void;
}

/** At most this many updates per edit: its card, then newer cards recorded while one was on its
 * way (each under the connector's own deadline). More would mean edits that never stop coming. */
const MAX_SENDS = 3;

export class SharedCardEdits {
  private readonly edits = new CardEdits();
  /** By card: the last recording this instance asked for, so its recordings keep request order. */
  private readonly recording = new Map<string, Promise<number | null>>();

  constructor(
    private readonly log: CardEditLog<Reply>,
    private readonly logger: Logger,
  ) {}

  /** Asks for `edit` of card `cardId` in `reference`'s conversation, after the turn (`later`). */
  request(later: Later, reference: Partial<ConversationReference>, cardId: string, edit: SharedEdit): void {
    void this.requestRecorded(later, reference, cardId, edit);
  }

  /** As request(), and resolves once the edit is recorded in the shared log (or could not be),
   * whether or not its turn ever runs: an edit given up unsent (an instance that stops) must still
   * be recorded before the store closes, for the card's next edit to show it. Never rejects. */
  requestRecorded(
    later: Later,
    reference: Partial<ConversationReference>,
    cardId: string,
    edit: SharedEdit,
  ): Promise<void> {
    const conversationId = reference.conversation?.id ?? '';
    const version = this.record(conversationId, cardId, edit);
    const show = async (c: TurnContext) => {
      const taken = await this.show(c, conversationId, cardId, edit.reply, version);
      edit.taken?.(taken);
    };
    this.queue(later, reference, cardId, edit.before, show);
    return version.then(() => undefined);
  }

  /** Replaces card `cardId` in the turn's own conversation now (an Action.Submit press, answered by
   * messages), ordered with the other instances' edits: false when Teams refused the update. */
  replaceNow(ctx: TurnContext, cardId: string, reply: Reply, final: boolean): Promise<boolean> {
    const conversationId = ctx.activity.conversation?.id ?? '';
    const version = this.record(conversationId, cardId, { reply, final });
    return this.show(ctx, conversationId, cardId, reply, version);
  }

  /** Asks for an edit of card `cardId` after the turn whose card is made when it is sent, from the
   * state as kept then, and ordered with the other instances' edits by that state's revision. */
  requestMade(later: Later, reference: Partial<ConversationReference>, cardId: string, edit: MadeEdit): void {
    const conversationId = reference.conversation?.id ?? '';
    const show = async (c: TurnContext) => {
      const made = await edit.make();
      if (!made) return;
      // Sent whether or not anyone is to be told (an optional call would skip its argument).
      const taken = await this.showMade(c, conversationId, cardId, made);
      edit.taken?.(taken);
    };
    this.queue(later, reference, cardId, edit.before, show);
  }

  /** Replaces card `cardId` in the turn's own conversation now with a card made from kept state
   * (an Action.Submit press), ordered by its revision: false when Teams refused the update. */
  replaceMadeNow(ctx: TurnContext, cardId: string, made: Made): Promise<boolean> {
    return this.showMade(ctx, ctx.activity.conversation?.id ?? '', cardId, made);
  }

  /** In this instance's line of edits of the card, after the turn: `before` (if any), then `show`. */
  private queue(
    later: Later,
    reference: Partial<ConversationReference>,
    cardId: string,
    before: (() => Promise<void>) | undefined,
    show: (c: TurnContext) => Promise<void>,
  ): void {
    this.edits.request(later, reference, cardId, before ? { before, show } : { show });
  }

  private showMade(ctx: TurnContext, conversationId: string, cardId: string, made: Made): Promise<boolean> {
    const version = this.record(conversationId, cardId, { reply: made.reply, final: false }, made.rank);
    return this.show(ctx, conversationId, cardId, made.reply, version);
  }

  /** Records the edit after this instance's earlier ones of the card: its version, or null when the
   * store could not take it (the edit is then sent as it is, ordered in this instance only). */
  private record(conversationId: string, cardId: string, edit: SharedEdit, rank?: number): Promise<number | null> {
    const key = `${conversationId}|${cardId}`;
    const before = this.recording.get(key) ?? Promise.resolve(null);
    const mine = before
      .then(() => this.log.record(conversationId, cardId, edit.reply, edit.final, rank))
      .catch((e: unknown) => this.unordered(e));
    this.recording.set(key, mine);
    void mine.then(() => {
      if (this.recording.get(key) === mine) this.recording.delete(key);
    });
    return mine;
  }

  private async show(
    ctx: TurnContext,
    conversationId: string,
    cardId: string,
    own: Reply,
    version: Promise<number | null>,
  ): Promise<boolean> {
    if ((await version) === null) return replaceCard(ctx, cardId, own, this.logger);
    let newest: CardEditRecord<Reply> | null = await this.log
      .newest(conversationId, cardId)
      .catch((e: unknown) => this.unordered(e));
    if (!newest) return replaceCard(ctx, cardId, own, this.logger);
    // Teams already took the newest card (an edit of this card asked for later, sent before).
    if (newest.shown >= newest.version) return true;
    let taken = false;
    for (let sends = 0; newest && sends < MAX_SENDS; sends++) {
      const sent: number = newest.version;
      taken = await replaceCard(ctx, cardId, newest.card, this.logger);
      // An update that failed may still have reached Teams (one cut at its deadline), after a newer
      // one: the newer card is sent again all the same.
      const now = taken ? this.log.shown(conversationId, cardId, sent) : this.log.newest(conversationId, cardId);
      newest = await now.catch((e: unknown) => this.unordered(e));
      // Nothing newer was recorded while this update was on its way: it is the newest card.
      if (!newest || newest.version <= sent) return taken;
    }
    return taken;
  }

  private unordered(e: unknown): null {
    this.logger.warn(
      { err: e, event: 'card.edit.unordered' },
      'the card edit could not be ordered with the other instances’ edits of the card',
    );
    return null;
  }
}
