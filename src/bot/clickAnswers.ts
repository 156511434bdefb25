// What a press's typed outcome shows, and to whom: the invoke answer (Action.Execute) or messages
// (Action.Submit) for the clicker, the card edited for everyone in line with its other edits, and
// the item's copies in other channels. The press itself (parsed, checked, signed in, acted on) is
// cardClicks.ts.

import { ConversationReference, InvokeResponse, TurnContext } from 'botbuilder';
import { Click, ClickOutcome, tokenToForget } from '../domain/click';
import { AdminCenterOnlyError, DecidedElsewhereError, DomainError, OwnRequestError } from '../domain/errors';
import { finishedMeanwhile } from '../domain/finishedMeanwhile';
import { errorStyle } from '../cards/outcomeWording';
import { GRAPH_NOT_ANSWERED, writeUnderWay } from '../cards/refusalWording';
import { aboutCards } from './aboutCards';
import { endedCard, keptNotice, keepsButtons } from './cardEnded';
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

  /** Graph answered after the click had to: show the outcome to everyone now. */
  late(reference: Partial<ConversationReference>, click: Click, late: ClickOutcome): void {
    const { actions } = this.deps;
    const { target, cardActivityId: cardId } = click;
    if ((late.kind !== 'settled' && late.kind !== 'progressed') || !cardId) return;
    const final = late.kind === 'settled';
    const reply = final ? this.settledCard(click, late) : this.progressedCard(click, late);
    this.editLater(reference, cardId, reply, final, () => actions.settleCard(click, late));
    this.deps.copies?.changed(target, reply, final, {
      conversationId: reference.conversation?.id ?? '',
      activityId: cardId,
    });
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
        return this.toEveryone(ctx, via, click, this.progressedCard(click, outcome), false);
      case 'notYours':
        return this.toClicker(ctx, via, this.itemCard(click, outcome.text));
      case 'failed':
        // Nobody can decide it through Graph (a PIM extension or renewal): the card loses its
        // buttons for everyone and says where to decide it.
        if (outcome.error instanceof AdminCenterOnlyError)
          return this.toEveryone(
            ctx,
            via,
            click,
            this.settledCard(click, { text: cards.errorWords(outcome.error, target), style: 'warning' }),
            true,
          );
        // Entra never lets this presser decide their own request: their copy loses the buttons it
        // could never act on; everyone else's card stays as it is.
        if (outcome.error instanceof OwnRequestError)
          return this.toClicker(ctx, via, this.itemCard(click, cards.errorWords(outcome.error, target), true));
        // Finished between the press's read and its write (another approver won the race to Graph's
        // 409): no button can act on it any more, so it is answered as a read finding it finished.
        if (finishedMeanwhile(outcome.error, target)) return this.finished(ctx, via, click, outcome.error);
        // Refused while the item still waits (a later stage's approvers, a failure): only the
        // presser is told, and the buttons stay for a retry or for the others.
        return this.toClicker(
          ctx,
          via,
          this.itemCard(click, cards.errorWords(outcome.error, target), false, errorStyle(outcome.error, target)),
        );
      case 'busy':
        return this.toClicker(
          ctx,
          via,
          // The buttons stay: if the other write fails, the card is edited for nobody.
          cards.item(target, {
            text: `${outcome.holderName} is acting on this right now.`,
            settled: false,
            notice: writeUnderWay('card'),
            noticeStyle: 'emphasis',
          }),
        );
      case 'pending':
        return this.toClicker(
          ctx,
          via,
          cards.item(target, {
            text: '',
            notice: `${GRAPH_NOT_ANSWERED} ${writeUnderWay('card')}`,
            noticeStyle: 'emphasis',
            settled: false,
          }),
        );
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

  /** A press whose write Graph refused because the item finished meanwhile: the card loses its
   * buttons for everyone (and the item's copies in other channels), as for a press whose read found
   * it finished, keeping the race's words and colour. Words about the presser's own earlier decision
   * ("You already decided this") are said to them alone: their copy loses its buttons, and a press
   * on another copy reads the item and settles it for everyone in words for everyone. */
  private finished(ctx: TurnContext, via: Via, click: Click, error: DomainError): Promise<InvokeResponse | undefined> {
    const { target } = click;
    const words = aboutCards(this.deps.cards, click).errorWords(error, target);
    const reply = this.itemCard(click, words, true, errorStyle(error, target));
    if (error instanceof DecidedElsewhereError && error.byAsker) return this.toClicker(ctx, via, reply);
    return this.toEveryone(ctx, via, click, reply, true);
  }

  /** The card everyone sees changes (this message and the item's copies in other channels). */
  private async toEveryone(
    ctx: TurnContext,
    via: Via,
    click: Click,
    reply: Reply,
    final: boolean,
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
    if (!replaced) await sendReply(ctx, reply);
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
   * no longer carry the decided stage's moment (Target.endsAt), which is not the next stage's. */
  private progressedCard(click: Click, outcome: { text: string; stageId?: string }): Reply {
    const { endsAt: _decidedStage, ...next } = click.target;
    const shown = outcome.stageId ? { ...next, afterStage: outcome.stageId } : next;
    return aboutCards(this.deps.cards, click).item(shown, {
      text: '',
      notice: outcome.text,
      noticeStyle: 'good',
      settled: false,
    });
  }

  /** The item and a notice, only for the clicker: with its buttons to retry, unless `settled`. */
  itemCard(click: Click, notice: string, settled = false, noticeStyle: 'attention' | 'warning' = 'attention'): Reply {
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
