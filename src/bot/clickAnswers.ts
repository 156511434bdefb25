// What a press's typed outcome shows, and to whom: the invoke answer (Action.Execute) or messages
// (Action.Submit) for the clicker, the card edited for everyone in line with its other edits, and
// the item's copies in other channels. The press itself (parsed, checked, signed in, acted on) is
// cardClicks.ts.

import { ConversationReference, InvokeResponse, TurnContext } from 'botbuilder';
import { Click, ClickOutcome, tokenToForget } from '../domain/click';
import { AdminCenterOnlyError, DecidedElsewhereError, DomainError, OwnRequestError } from '../domain/errors';
import { finishedMeanwhile } from '../domain/finishedMeanwhile';
import { errorStyle } from '../cards/outcomeWording';
import {
  GRAPH_NOT_ANSWERED,
  NEXT_STAGE_ON_PRESSED_CARD,
  RETRY_ON_PRESSED_CARD,
  writeUnderWay,
} from '../cards/refusalWording';
import { aboutCards } from './aboutCards';
import { endedCard, keptNotice, keepsButtons } from './cardEnded';
import { readByTheUserOnly } from './personalChat';
import type { CardClickDeps, Via } from './cardClicks';
import { cardError, cardReply } from './invokeResponses';
import { Reply, sendReply } from './replies';
import { SharedCardEdits } from './sharedCardEdits';

export class ClickAnswers {
  /** The edits for everyone of each card, in the order they were asked for, on every instance. */
  private readonly edits: SharedCardEdits;

  constructor(private readonly deps: CardClickDeps) {
    this.edits = new SharedCardEdits(deps.editLog, deps.logger);
  }

  /** Graph answered after the click had to: show the outcome to everyone now. The invoke was
   * answered already ("has not answered yet"), so the card is edited, as after a resumed press. */
  late(reference: Partial<ConversationReference>, click: Click, late: ClickOutcome): void {
    const { actions } = this.deps;
    const { target, cardActivityId: cardId } = click;
    if (!cardId) return;
    const clicked = { conversationId: reference.conversation?.id ?? '', activityId: cardId };
    if (late.kind === 'failed') {
      // A failure no press can mend changes the card as it does in time (cardChangedBy). Any other
      // changes no card: the "not answered yet" card says to press again if it has not changed
      // within a minute, and its words (a token, a permission) are the presser's, which an edit in a
      // channel would show every member.
      const changed = this.cardChangedBy(click, late.error, readByTheUserOnly(reference.conversation));
      if (!changed) return;
      this.editLater(reference, cardId, changed.reply, true);
      if (changed.forEveryone) this.deps.copies?.changed(target, changed.reply, true, clicked);
      return;
    }
    if (late.kind !== 'settled' && late.kind !== 'progressed') return;
    const final = late.kind === 'settled';
    const reply = final ? this.settledCard(click, late) : this.progressedCard(click, late);
    this.editLater(reference, cardId, reply, final, () => actions.settleCard(click, late));
    this.deps.copies?.changed(target, reply, final, clicked);
  }

  /** The answer to a click's outcome: for the clicker alone, or the card edited for everyone. */
  async answer(ctx: TurnContext, via: Via, click: Click, outcome: ClickOutcome): Promise<InvokeResponse | undefined> {
    const cards = aboutCards(this.deps.cards, click);
    const target = click.target;
    // Graph no longer accepts the token: forgotten whatever card answers (the ended card included),
    // so the next press or command signs in afresh rather than meeting the same 401.
    if (tokenToForget(outcome)) this.deps.signIn.forgetToken(click.actor.aadObjectId);
    // An answer for the clicker alone keeps the buttons for a retry, but not past the moment the
    // card's approval ends (Target.endsAt): then it is the ended card, saying what happened.
    if (keepsButtons(outcome, target) && target.endsAt !== undefined && this.deps.actions.now() >= target.endsAt)
      return this.toClicker(ctx, via, endedCard(cards, target, keptNotice(target, outcome)));
    switch (outcome.kind) {
      case 'refused':
        return this.refuse(ctx, via, outcome.message);
      case 'settled':
        await this.deps.actions.settleCard(click, outcome);
        return this.toEveryone(ctx, via, click, this.settledCard(click, outcome), true);
      case 'progressed':
        // Everyone sees the stage decided; the buttons stay for the next stage's approvers.
        return this.toEveryone(ctx, via, click, this.progressedCard(click, outcome), false, () =>
          this.progressedCard(click, outcome, true),
        );
      case 'notYours':
        return this.toClicker(ctx, via, this.presserCard(via, click, outcome.text, false));
      case 'failed': {
        const changed = this.cardChangedBy(click, outcome.error, true);
        if (changed)
          return changed.forEveryone
            ? this.toEveryone(ctx, via, click, changed.reply, true)
            : this.toClicker(ctx, via, changed.reply);
        // Refused while the item still waits (a later stage's approvers, a failure): only the
        // presser is told, and the buttons stay for a retry or for the others.
        const words = cards.errorWords(outcome.error, target);
        return this.toClicker(ctx, via, this.presserCard(via, click, words, true, errorStyle(outcome.error, target)));
      }
      case 'busy':
        return this.underWay(ctx, via, click, `${outcome.holderName} is acting on this right now.`, '');
      case 'pending':
        return this.underWay(ctx, via, click, '', `${GRAPH_NOT_ANSWERED} `);
      case 'ended':
        return this.toClicker(
          ctx,
          via,
          endedCard(cards, target, 'Nothing was sent to Microsoft Graph: a decision after that moment is not taken.'),
        );
      case 'superseded':
        return this.toClicker(
          ctx,
          via,
          cards.item(target, { text: outcome.text, settled: true, notice: '', noticeStyle: outcome.style }),
        );
    }
  }

  /** The answer to a press while a write of the item is still with Graph (its own or another
   * person's): the pressed card changes when Graph answers (late()). An invoke's answer is the
   * presser's copy of that card, and keeps its buttons: if the write fails, the card is edited for
   * nobody and a press there acts anew. An Action.Submit press is answered by a new message, for
   * every member to read, which no later edit reaches and which is no card the bot posted for the
   * item (a press on it is refused): it offers no decision, so none stays on it once the item is
   * decided, and it points at the pressed card, whose buttons stay. */
  private underWay(
    ctx: TurnContext,
    via: Via,
    click: Click,
    text: string,
    before: string,
  ): Promise<InvokeResponse | undefined> {
    const onPressedCard = via === 'execute';
    const notice = before + writeUnderWay(onPressedCard ? 'card' : 'pressed card');
    const view = { text, notice, noticeStyle: 'emphasis' as const, settled: !onPressedCard };
    return this.toClicker(ctx, via, aboutCards(this.deps.cards, click).item(click.target, view));
  }

  /** The card a failure no press can mend answers with, without buttons, in time or late; null for
   * a failure the presser may retry (the card and its buttons stay). `toPresserAlone`: whether the
   * answer can be shown to the presser alone (lostRace). */
  private cardChangedBy(
    click: Click,
    error: DomainError,
    toPresserAlone: boolean,
  ): { reply: Reply; forEveryone: boolean } | null {
    const { target } = click;
    const words = () => aboutCards(this.deps.cards, click).errorWords(error, target);
    // Nobody can decide it through Graph (a PIM extension or renewal): the card loses its buttons
    // for everyone and says where to decide it.
    if (error instanceof AdminCenterOnlyError)
      return { reply: this.settledCard(click, { text: words(), style: 'warning' }), forEveryone: true };
    // Entra never lets this presser decide their own request: their copy loses the buttons it could
    // never act on; everyone else's card stays as it is, so a card others read is not edited.
    if (error instanceof OwnRequestError)
      return toPresserAlone ? { reply: this.itemCard(click, words(), true), forEveryone: false } : null;
    // Finished between the press's read and its write (another approver won the race to Graph's
    // 409): no button can act on it any more, so it is answered as a read finding it finished.
    return this.lostRace(click, error, toPresserAlone);
  }

  /** A write Graph refused because the item finished meanwhile (finishedMeanwhile): the card that
   * answers it, as for a press whose read found it finished, without buttons, in the race's words and
   * colour, for everyone (and the item's copies in other channels). Words about the presser's own
   * earlier decision ("You already decided this") are for them alone: only their copy, and only when
   * it can be shown to them alone (`toPresserAlone`: an invoke's answer, a message in their personal
   * chat; an edit in a channel or group chat is every member's), else null, the card left for a
   * press on it to read the item and settle it in words for everyone. Null for any other failure. */
  private lostRace(
    click: Click,
    error: DomainError,
    toPresserAlone: boolean,
  ): { reply: Reply; forEveryone: boolean } | null {
    const { target } = click;
    if (!finishedMeanwhile(error, target)) return null;
    const forEveryone = !(error instanceof DecidedElsewhereError && error.byAsker);
    if (!forEveryone && !toPresserAlone) return null;
    const words = aboutCards(this.deps.cards, click).errorWords(error, target);
    return { reply: this.itemCard(click, words, true, errorStyle(error, target)), forEveryone };
  }

  /** The card everyone sees changes (this message and the item's copies in other channels). When
   * Teams refuses to edit it (deleted meanwhile, say), an Action.Submit press gets `reply` as a
   * message of its own, which is no card the bot posted for the item: `asMessage`, when `reply` has
   * buttons, is that message without them. */
  private async toEveryone(
    ctx: TurnContext,
    via: Via,
    click: Click,
    reply: Reply,
    final: boolean,
    asMessage: () => Reply = () => reply,
  ): Promise<InvokeResponse | undefined> {
    // The card clicked: the activity's replyToId, or the remembered card of a press resumed later.
    const { target, cardActivityId: id } = click;
    const clicked = { conversationId: click.conversationId, activityId: id };
    if (via === 'execute') {
      // The answer replaces the clicker's copy at once; the edit for everyone comes after it, since
      // an edit (15 s deadline of its own) after a click's Graph time would answer past Teams' wait.
      if (id) this.editLater(TurnContext.getConversationReference(ctx.activity), id, reply, final);
      this.deps.copies?.changed(target, reply, final, clicked);
      return cardReply(reply);
    }
    const replaced = id ? await this.edits.replaceNow(ctx, id, reply, final) : false;
    this.deps.copies?.changed(target, reply, final, clicked);
    if (!replaced) await sendReply(ctx, asMessage());
    return undefined;
  }

  /** Replaces the card for everyone after the turn (`before` first), in line with the card's other
   * edits, on any instance, from the moment it is asked for, so the card asked for last is the one
   * everyone sees; a `final` one (no buttons) is never followed by one with buttons. */
  private editLater(
    reference: Partial<ConversationReference>,
    cardId: string,
    reply: Reply,
    final: boolean,
    before?: () => Promise<void>,
  ): void {
    this.edits.request(this.deps.later, reference, cardId, before ? { reply, final, before } : { reply, final });
  }

  private settledCard(click: Click, outcome: { text: string; style: 'good' | 'warning' }): Reply {
    const view = { text: outcome.text, settled: true, notice: '', noticeStyle: outcome.style };
    return aboutCards(this.deps.cards, click).item(click.target, view);
  }

  /** The item with its buttons, for everyone, saying what was decided and who decides next. Its
   * buttons name the stage decided, so only a press on the card as it now is decides the next; they
   * no longer carry the decided stage's moment (Target.endsAt), which is not the next stage's.
   * `asMessage`: a message of its own instead (toEveryone), without buttons, saying where they are. */
  private progressedCard(click: Click, outcome: { text: string; stageId?: string }, asMessage = false): Reply {
    const { endsAt: _decidedStage, ...next } = click.target;
    const shown = outcome.stageId ? { ...next, afterStage: outcome.stageId } : next;
    return aboutCards(this.deps.cards, click).item(shown, {
      text: '',
      notice: asMessage ? `${outcome.text} ${NEXT_STAGE_ON_PRESSED_CARD}` : outcome.text,
      noticeStyle: 'good',
      settled: asMessage,
    });
  }

  /** The item and why the press changed nothing, for the presser alone, the pressed card keeping
   * its buttons for a retry (`retry`: a press again may act) or for the others. An invoke's answer
   * is the presser's copy of that card, with them. An Action.Submit press is answered by a message
   * of its own, which is no card the bot posted for the item (a press on it is refused): it carries
   * none, and a retry is on the pressed card (as for a write still with Graph: underWay). */
  presserCard(
    via: Via,
    click: Click,
    notice: string,
    retry: boolean,
    noticeStyle: 'attention' | 'warning' = 'attention',
  ): Reply {
    if (via === 'execute') return this.itemCard(click, notice, false, noticeStyle);
    return this.itemCard(click, retry ? `${notice} ${RETRY_ON_PRESSED_CARD}` : notice, true, noticeStyle);
  }

  /** The item and a notice, only for the clicker: with its buttons, unless `settled`. */
  private itemCard(
    click: Click,
    notice: string,
    settled = false,
    noticeStyle: 'attention' | 'warning' = 'attention',
  ): Reply {
    return aboutCards(this.deps.cards, click).item(click.target, {
      text: '',
      notice,
      noticeStyle,
      settled,
    });
  }

  async toClicker(ctx: TurnContext, via: Via, reply: Reply): Promise<InvokeResponse | undefined> {
    if (via === 'execute') return cardReply(reply);
    await sendReply(ctx, reply);
    return undefined;
  }

  /** Not a click the bot can act on: nothing read or written, the card unchanged. */
  async refuse(ctx: TurnContext, via: Via, problem: string): Promise<InvokeResponse | undefined> {
    if (via === 'execute') return cardError(400, 'BadRequest', problem);
    await sendReply(ctx, this.deps.cards.info('That button did not work', problem));
    return undefined;
  }
}
