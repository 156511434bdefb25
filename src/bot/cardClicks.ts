// A button press, as Action.Execute (invoke adaptiveCard/action) or its Action.Submit fallback (a
// message): parsed, signed in, handed to the card-action protocol, and its typed outcome turned
// into the invoke answer or messages. Only translation lives here.

import { ConversationReference, InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { SignInFlow } from '../auth/sso';
import { CardActionService } from '../domain/cardAction';
import { Click, ClickOutcome, tokenToForget } from '../domain/click';
import { AdminCenterOnlyError, OwnRequestError } from '../domain/errors';
import { GovernanceService } from '../domain/governance';
import { Target } from '../domain/operations';
import { CardEditLog } from '../state/cardEditLog';
import { GRAPH_NOT_ANSWERED, writeUnderWay } from '../cards/refusalWording';
import { aboutCards } from './aboutCards';
import { endedCard, keptNotice, keepsButtons } from './cardEnded';
import { parseButtonData } from './cardActions';
import { CommandTurns, PendingCommand, actorFor } from './commandTurns';
import { cardPressSignedIn } from './cardPressSignIn';
import { cardError, cardReply } from './invokeResponses';
import type { PressedCard } from './pressedCard';
import { HeldLines, endRefusedResent, resentPressRan } from './resentToken';
import { Later, Reply, ReplyCards, sendReply } from './replies';
import { SharedCardEdits } from './sharedCardEdits';
import { shownUserName, subjectOf } from './turnUser';
import type { ClickedCard } from './teamsEdge';

export type Via = 'execute' | 'submit';

export interface CardClickDeps {
  readonly actions: Pick<CardActionService<unknown>, 'checked' | 'act' | 'settleCard' | 'now'>;
  readonly signIn: SignInFlow<PendingCommand>;
  readonly governance: GovernanceService;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  readonly tenantId: string;
  readonly commands: CommandTurns;
  /** Runs work in a conversation after the turn (a write that outlived its click). */
  readonly later: Later;
  /** The newest edit of each card, shared by the instances (so their edits end on the newest). */
  readonly editLog: CardEditLog<Reply>;
  /** Updates the other posted copies of the item's card (other channels) once a click decided it
   * (`final`: settled, no buttons left; otherwise a stage decided, the buttons kept). */
  readonly copies?: { changed(target: Target, reply: Reply, final: boolean, clicked: ClickedCard): void } | null;
}

export class CardClicks {
  /** The edits for everyone of each card, in the order they were asked for, on every instance. */
  private readonly edits: SharedCardEdits;

  constructor(private readonly deps: CardClickDeps) {
    this.edits = new SharedCardEdits(deps.editLog, deps.logger);
  }

  /** The invoke answer (execute), or undefined once messages were sent (submit). */
  async handle(ctx: TurnContext, data: unknown, via: Via): Promise<InvokeResponse | undefined> {
    const { actions } = this.deps;
    const arrivedAt = actions.now();
    const parsed = parseButtonData(data);
    if (!parsed.ok) return this.refuse(ctx, via, parsed.problem);
    const user = subjectOf(ctx.activity, this.deps.tenantId);
    if (!user) return this.refuse(ctx, via, 'The click did not say which Entra user made it.');
    const target = parsed.target;
    const cardId = ctx.activity.replyToId;
    const pressed: Click = {
      target,
      conversationId: ctx.activity.conversation?.id ?? '',
      cardActivityId: cardId,
      actor: actorFor(this.deps.signIn, user.aadObjectId),
      userName: shownUserName(ctx.activity.from?.name) ?? 'someone',
      audit: { via: `card.${via}`, activityId: cardId ?? null, userName: ctx.activity.from?.name ?? null },
      arrivedAt,
    };
    const ran = await resentPressRan(this.deps, ctx, via, user);
    if (ran) return ran;
    // Refused (`refused`), or a card that has its final word (`superseded`: edited for everyone
    // already): answered at once, audited, needing no token, so nothing is remembered for after a
    // sign-in to answer it again; a re-sent press ends the press its loginRequest remembered, its
    // line held until that is known to be the press's one (endRefusedResent).
    const held = new HeldLines();
    const { refused, click } = await actions.checked(pressed, held.hold);
    if (refused) {
      if (await endRefusedResent(this.deps, ctx, via, user, target, 'card.signIn.failed')) held.write();
      return this.answer(ctx, via, click, refused);
    }

    const signedIn = await cardPressSignedIn(this.deps, ctx, via, user, click);
    if (signedIn !== true && signedIn !== undefined && 'failed' in signedIn)
      return this.toClicker(ctx, via, this.itemCard(click, signedIn.failed));
    if (signedIn !== true) return signedIn;
    return this.act(ctx, via, click);
  }

  /**
   * A press that waited for its presser's sign-in, resumed in its conversation once they signed in
   * (signInInvokes.ts): the click it was, on its card, through the card-action service as any
   * click (its claim, its write, the card edited for everyone, its final word kept, its one audit
   * line naming the card), answered with messages and edits since no invoke waits for it now.
   */
  async afterSignIn(
    ctx: TurnContext,
    pending: PendingCommand,
    target: Target,
    card: PressedCard,
    aad: string,
  ): Promise<void> {
    const pressed: Click = {
      target,
      conversationId: pending.reference.conversation?.id ?? '',
      cardActivityId: card.activityId,
      actor: actorFor(this.deps.signIn, aad),
      userName: shownUserName(pending.userName) ?? 'someone',
      audit: { via: `card.${card.via}`, activityId: card.activityId, userName: pending.userName ?? null },
      arrivedAt: this.deps.actions.now(),
    };
    const { refused, click } = await this.deps.actions.checked(pressed);
    if (refused?.kind === 'refused') await this.refuse(ctx, 'submit', refused.message);
    else if (refused) await this.answer(ctx, 'submit', click, refused);
    else await this.act(ctx, 'submit', click);
  }

  /** Acts on a click that may act (its card shows its item, without a final word) as the signed-in clicker. */
  private async act(ctx: TurnContext, via: Via, click: Click): Promise<InvokeResponse | undefined> {
    const { actions } = this.deps;
    const { target, cardActivityId: cardId } = click;
    const reference = TurnContext.getConversationReference(ctx.activity);
    const outcome = await actions.act(click, (late) => {
      // Graph answered after the click had to: show the outcome to everyone now.
      if ((late.kind !== 'settled' && late.kind !== 'progressed') || !cardId) return;
      const final = late.kind === 'settled';
      const reply = final ? this.settledCard(click, late) : this.progressedCard(click, late);
      this.editLater(reference, cardId, reply, final, () => actions.settleCard(click, late));
      this.deps.copies?.changed(target, reply, final, {
        conversationId: reference.conversation?.id ?? '',
        activityId: cardId,
      });
    });
    return this.answer(ctx, via, click, outcome);
  }

  private async answer(
    ctx: TurnContext,
    via: Via,
    click: Click,
    outcome: ClickOutcome,
  ): Promise<InvokeResponse | undefined> {
    const cards = aboutCards(this.deps.cards, click);
    const target = click.target;
    // Graph no longer accepts the token: forgotten whatever card answers (the ended card included),
    // so the next press or command signs in afresh rather than meeting the same 401.
    if (tokenToForget(outcome)) this.deps.signIn.forgetToken(click.actor.aadObjectId);
    // An answer for the clicker alone keeps the buttons for a retry, but not past the moment the
    // card's approval ends (Target.endsAt): then it is the ended card, saying what happened.
    if (keepsButtons(outcome) && target.endsAt !== undefined && this.deps.actions.now() >= target.endsAt)
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
        return this.toClicker(ctx, via, this.itemCard(click, cards.errorWords(outcome.error, target)));
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
  private itemCard(click: Click, notice: string, settled = false): Reply {
    return aboutCards(this.deps.cards, click).item(click.target, {
      text: '',
      notice,
      noticeStyle: 'attention',
      settled,
    });
  }

  private async toClicker(ctx: TurnContext, via: Via, reply: Reply): Promise<InvokeResponse | undefined> {
    if (via === 'execute') return cardReply(reply);
    await sendReply(ctx, reply);
    return undefined;
  }

  /** Not a click the bot can act on: nothing read or written, the card unchanged. */
  private async refuse(ctx: TurnContext, via: Via, problem: string): Promise<InvokeResponse | undefined> {
    if (via === 'execute') return cardError(400, 'BadRequest', problem);
    await sendReply(ctx, this.deps.cards.info('That button did not work', problem));
    return undefined;
  }
}
